import { type ReactNode, useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { PhoneLayout } from '../shell/PhoneLayout';
import { AccountTab } from './AccountTab';
import { BadgeTab } from './BadgeTab';
import { NewsTab } from './NewsTab';
import { ProgrammeTab } from './ProgrammeTab';
import { useReadAnnouncements } from './readAnnouncements';
import { useParticipantData } from './useParticipantData';
import './participantApp.css';

type Tab = 'badge' | 'programme' | 'news' | 'account';
const TABS: readonly Tab[] = ['badge', 'programme', 'news', 'account'];

/**
 * The participant's app: my badge, the programme (with questions to speakers), announcements and
 * my account. Everything but the account's actions reads the device's own copy, so it works offline
 * once the first sign-in has synced.
 */
export function ParticipantApp() {
  const { t } = useI18n();
  const session = useSession();
  const data = useParticipantData();
  const eventId = session?.event?.id ?? '';
  const { ids } = useReadAnnouncements(eventId);
  const unread = data.announcements.filter((a) => !ids.has(a.id)).length;
  const [tab, setTab] = useState<Tab>('badge');

  let body: ReactNode;
  if (tab === 'badge') body = <BadgeTab />;
  else if (tab === 'programme') body = <ProgrammeTab data={data} />;
  else if (tab === 'news') body = <NewsTab data={data} eventId={eventId} />;
  else body = <AccountTab />;

  return (
    <PhoneLayout title={t(`me.tab.${tab}`)}>
      {body}
      <nav className="me-tabs" aria-label={t('role.participant')}>
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            className="me-tabs__tab"
            aria-current={tab === k ? 'page' : undefined}
            onClick={() => setTab(k)}
          >
            {t(`me.tab.${k}`)}
            {k === 'news' && unread > 0 && (
              <>
                <span className="me-tabs__count" data-testid="unread-count" aria-hidden="true">
                  {unread}
                </span>
                <span className="visually-hidden">{t('me.unread', { count: unread })}</span>
              </>
            )}
          </button>
        ))}
      </nav>
    </PhoneLayout>
  );
}
