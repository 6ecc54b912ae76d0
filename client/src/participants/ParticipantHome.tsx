import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { displayName } from '../shell/AccountMenu';
import { RoleHome } from '../shell/RoleHome';
import { BadgeQr } from './BadgeQr';

export function ParticipantHome() {
  const { t } = useI18n();
  const session = useSession();
  return (
    <RoleHome
      title={t('role.participant')}
      intro={t('participant.intro')}
      coming={[
        t('participant.coming.programme'),
        t('participant.coming.questions'),
        t('participant.coming.announcements'),
      ]}
    >
      {session?.user?.badgeCode ? (
        <BadgeQr code={session.user.badgeCode} name={displayName(session)} />
      ) : (
        <p className="card muted">{t('participant.noBadge')}</p>
      )}
    </RoleHome>
  );
}
