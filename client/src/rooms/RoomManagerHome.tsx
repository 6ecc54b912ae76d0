import type { SessionRecord } from '@makeplus/shared';
import { useState } from 'react';
import type { DoorContext } from '../doorControl/DoorScreen';
import { DoorScreen } from '../doorControl/DoorScreen';
import { useI18n } from '../i18n/i18n';
import { QuestionModeration } from '../questions/QuestionModeration';
import { RoomSessionsPanel } from './RoomSessionsPanel';

type Tab = 'sessions' | 'questions';

/**
 * The room manager works at the room's door too: the same scanner and verdicts, plus the room's
 * sessions (start, end, cancel), its occupancy against capacity, and the moderation of the
 * audience's questions to the room's sessions.
 */
export function RoomManagerHome() {
  const { t } = useI18n();
  return <DoorScreen title={t('role.room_manager')}>{(door) => <RoomManagerPanels door={door} />}</DoorScreen>;
}

function RoomManagerPanels({ door }: { door: DoorContext }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('sessions');
  const sessions = door.roomSessions.map((d) => d.toJSON() as unknown as SessionRecord);
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset */}
      <div className="tabs room-tabs" role="group" aria-label={t('roomManager.panels')}>
        {(['sessions', 'questions'] as const).map((k) => (
          <button key={k} type="button" aria-pressed={tab === k} className="btn" onClick={() => setTab(k)}>
            {t(k === 'sessions' ? 'roomManager.tab.sessions' : 'roomManager.tab.questions')}
          </button>
        ))}
      </div>
      <div>
        {tab === 'sessions' ? (
          <RoomSessionsPanel door={door} />
        ) : door.room ? (
          <div className="card">
            <QuestionModeration store={door.store} sessions={sessions} />
          </div>
        ) : (
          <p className="muted card">{t('roomManager.pickRoom')}</p>
        )}
      </div>
    </>
  );
}
