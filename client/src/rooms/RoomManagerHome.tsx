import { useI18n } from '../i18n/i18n';
import { RoleHome } from '../shell/RoleHome';

export function RoomManagerHome() {
  const { t } = useI18n();
  return (
    <RoleHome
      title={t('role.room_manager')}
      intro={t('roomManager.intro')}
      coming={[t('roomManager.coming.sessions'), t('roomManager.coming.occupancy'), t('roomManager.coming.questions')]}
    />
  );
}
