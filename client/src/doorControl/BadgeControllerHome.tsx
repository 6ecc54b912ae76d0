import { useI18n } from '../i18n/i18n';
import { RoleHome } from '../shell/RoleHome';

export function BadgeControllerHome() {
  const { t } = useI18n();
  return (
    <RoleHome
      title={t('role.badge_controller')}
      intro={t('door.intro')}
      coming={[t('door.coming.scan'), t('door.coming.offline'), t('door.coming.history')]}
    />
  );
}
