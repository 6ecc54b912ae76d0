import { useI18n } from '../i18n/i18n';
import { RoleHome } from '../shell/RoleHome';

export function CommitteeHome() {
  const { t } = useI18n();
  return (
    <RoleHome
      title={t('role.committee')}
      intro={t('committee.intro')}
      coming={[t('committee.coming.stats'), t('committee.coming.questions')]}
    />
  );
}
