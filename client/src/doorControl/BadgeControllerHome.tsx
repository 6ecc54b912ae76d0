import { useI18n } from '../i18n/i18n';
import { DoorScreen } from './DoorScreen';

/** The badge controller's home is the door itself. */
export function BadgeControllerHome() {
  const { t } = useI18n();
  return <DoorScreen title={t('role.badge_controller')} />;
}
