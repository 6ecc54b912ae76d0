import type { ReactNode } from 'react';
import { useSession } from '../auth/session';
import { EventCard } from '../events/EventCard';
import { useI18n } from '../i18n/i18n';
import { displayName } from './AccountMenu';
import { PhoneLayout } from './PhoneLayout';

interface RoleHomeProps {
  title: string;
  /** One sentence: what this person does here. */
  intro: string;
  /** What this screen will let them do, said plainly: it is not built yet. */
  coming: string[];
  /** Real things the device already has for this role (a badge, a cash register…). */
  children?: ReactNode;
}

/** The home of a role on phones: who and where you are, what you hold, and what is on its way. */
export function RoleHome({ title, intro, coming, children }: RoleHomeProps) {
  const { t } = useI18n();
  const session = useSession();
  if (!session?.event) return null;
  return (
    <PhoneLayout title={title}>
      <h1 className="page-title">{t('home.greeting', { name: displayName(session) })}</h1>
      <p className="lead">{intro}</p>
      {children}
      <EventCard event={session.event} />
      <section className="card coming" aria-labelledby="coming-title">
        <h2 id="coming-title">{t('home.comingTitle')}</h2>
        <p className="muted">{t('home.comingExplain')}</p>
        <ul className="coming__list">
          {coming.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </section>
    </PhoneLayout>
  );
}
