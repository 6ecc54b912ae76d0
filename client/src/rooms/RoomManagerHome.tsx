import { DoorScreen } from '../doorControl/DoorScreen';
import { useI18n } from '../i18n/i18n';
import { RoomSessionsPanel } from './RoomSessionsPanel';

/**
 * The room manager works at the room's door too: the same scanner and verdicts, plus the room's
 * sessions (start, end, cancel) and its occupancy against capacity.
 */
export function RoomManagerHome() {
  const { t } = useI18n();
  return <DoorScreen title={t('role.room_manager')}>{(door) => <RoomSessionsPanel door={door} />}</DoorScreen>;
}
