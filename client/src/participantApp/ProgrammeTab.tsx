import type { QuestionRecord, SessionRecord } from '@makeplus/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { useNow } from '../shell/useNow';
import { useDeviceStore } from '../sync/DeviceSync';
import { createRecord } from '../sync/localWrites';
import { DocumentsCard } from './DocumentsCard';
import type { ParticipantData } from './useParticipantData';

type Session = SessionRecord & { seq: number };

function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

/** The programme by day and room, from the device's copy: live sessions, my workshops, questions. */
export function ProgrammeTab({ data }: { data: ParticipantData }) {
  const { t, lang } = useI18n();
  const now = useNow(30_000);
  const tz = data.event?.timezone ?? 'Africa/Algiers';
  const [onlyMine, setOnlyMine] = useState(false);
  const mine = useMemo(
    () => new Set(data.entitlements.filter((e) => !e.revoked && e.sessionId).map((e) => e.sessionId as string)),
    [data.entitlements],
  );
  const roomName = useMemo(() => new Map(data.rooms.map((r) => [r.id, r.name])), [data.rooms]);
  const days = useMemo(() => {
    const list = data.sessions
      .filter((s) => !onlyMine || mine.has(s.id))
      .slice()
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sortOrder - b.sortOrder);
    const byDay = new Map<string, Map<string, Session[]>>();
    for (const s of list) {
      const d = dayKey(s.startsAt, tz);
      const rooms = byDay.get(d) ?? new Map<string, Session[]>();
      byDay.set(d, rooms);
      const r = rooms.get(s.roomId) ?? [];
      rooms.set(s.roomId, r);
      r.push(s);
    }
    return [...byDay.entries()].map(([day, rooms]) => ({
      day,
      rooms: [...rooms.entries()].sort((a, b) =>
        (roomName.get(a[0]) ?? '').localeCompare(roomName.get(b[0]) ?? '', lang),
      ),
    }));
  }, [data.sessions, onlyMine, mine, tz, roomName, lang]);
  const dayLabel = (day: string) =>
    new Intl.DateTimeFormat(lang, { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  const time = (iso: string) =>
    new Intl.DateTimeFormat(lang, { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

  if (data.loading) return <p className="card muted">{t('me.programme.loading')}</p>;
  return (
    <section aria-label={t('me.tab.programme')} className="me-programme">
      <DocumentsCard event={data.event} />
      {data.questions.length > 0 && (
        <div className="card">
          <MyQuestions
            questions={data.questions}
            sessionTitle={(id) => data.sessions.find((s) => s.id === id)?.title ?? ''}
          />
        </div>
      )}
      {mine.size > 0 && (
        <label className="field--check me-programme__mine">
          <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.target.checked)} />
          <span>{t('me.programme.onlyMine')}</span>
        </label>
      )}
      {days.length === 0 && <p className="card muted">{t('me.programme.empty')}</p>}
      {days.map(({ day, rooms }) => (
        <section key={day} className="me-day" aria-label={dayLabel(day)}>
          <h2 className="me-day__title">{dayLabel(day)}</h2>
          {rooms.map(([roomId, sessions]) => (
            <section key={roomId} className="me-room">
              <h3 className="me-room__title">{roomName.get(roomId) ?? '—'}</h3>
              <ul className="me-sessions">
                {sessions.map((s) => {
                  const live =
                    s.status === 'live' ||
                    (s.status === 'not_started' && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt));
                  return (
                    <li
                      key={s.id}
                      className={`me-session${mine.has(s.id) ? ' me-session--mine' : ''}${live ? ' me-session--live' : ''}`}
                      data-testid="programme-session"
                    >
                      <p className="me-session__time">
                        {time(s.startsAt)} – {time(s.endsAt)}
                        {live && <span className="me-tag me-tag--live">{t('me.programme.live')}</span>}
                        {mine.has(s.id) && <span className="me-tag me-tag--mine">{t('me.programme.myWorkshop')}</span>}
                        {!mine.has(s.id) && s.isPaid && <span className="me-tag">{t('me.programme.paid')}</span>}
                        {s.status === 'cancelled' && <span className="me-tag">{t('me.programme.cancelled')}</span>}
                        {s.status === 'finished' && <span className="me-tag">{t('me.programme.finished')}</span>}
                      </p>
                      <h4 className="me-session__title">{s.title}</h4>
                      {s.speakerName && (
                        <p className="me-session__speaker">
                          {s.speakerName}
                          {s.speakerTitle ? ` · ${s.speakerTitle}` : ''}
                        </p>
                      )}
                      {s.youtubeLiveUrl && (live || s.status === 'live') && (
                        <a
                          className="btn btn--block me-session__yt"
                          href={s.youtubeLiveUrl}
                          target="_blank"
                          rel="noreferrer"
                        >
                          ▶ {t('me.programme.watchLive')}
                        </a>
                      )}
                      <details className="me-session__details">
                        <summary>{t('me.programme.details')}</summary>
                        {s.description && <p>{s.description}</p>}
                        {(s.speakerName || s.speakerBio) && (
                          <div className="me-speaker">
                            {s.speakerPhotoUrl && <img src={s.speakerPhotoUrl} alt="" width={64} height={64} />}
                            <p>
                              <strong>
                                {t('me.programme.speaker')} : {s.speakerName}
                              </strong>
                              {s.speakerTitle && <span className="muted"> · {s.speakerTitle}</span>}
                            </p>
                            {s.speakerBio && <p>{s.speakerBio}</p>}
                          </div>
                        )}
                        {s.youtubeLiveUrl && !live && (
                          <p>
                            <a href={s.youtubeLiveUrl} target="_blank" rel="noreferrer">
                              {t('me.programme.watchLive')}
                            </a>
                          </p>
                        )}
                        <AskQuestion session={s} data={data} />
                      </details>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </section>
      ))}
    </section>
  );
}

function AskQuestion({ session, data }: { session: Session; data: ParticipantData }) {
  const { t } = useI18n();
  const store = useDeviceStore();
  const auth = useSession();
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const mine = data.questions.filter((q) => q.sessionId === session.id);
  if (!data.me) return null;
  const me = data.me;
  const ask = async (e: FormEvent) => {
    e.preventDefault();
    if (!store || !text.trim()) return;
    try {
      await createRecord(store, 'questions', {
        sessionId: session.id,
        participantId: me.id,
        askedBy: auth?.user?.id ?? null,
        text: text.trim(),
        askedAt: new Date().toISOString(),
        isAnswered: false,
        answeredBy: null,
        answeredAt: null,
        isHidden: false,
        legacyId: 0,
      });
      setText('');
      setNotice(navigator.onLine ? t('me.ask.sent') : t('me.ask.queued'));
    } catch (err) {
      setNotice(t('me.ask.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  const id = `ask-${session.id}`;
  return (
    <div className="me-ask">
      <form onSubmit={ask}>
        <div className="field">
          <label htmlFor={id}>{t('me.ask.label')}</label>
          <textarea id={id} rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="btn btn--primary btn--block" disabled={!text.trim() || !store}>
          {t('me.ask.send')}
        </button>
      </form>
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {mine.length > 0 && <MyQuestions questions={mine} />}
    </div>
  );
}

export function MyQuestions({
  questions,
  sessionTitle,
}: {
  questions: (QuestionRecord & { seq: number })[];
  sessionTitle?: (sessionId: string) => string;
}) {
  const { t } = useI18n();
  return (
    <section className="me-questions" aria-label={t('me.ask.mine')}>
      <h5>{t('me.ask.mine')}</h5>
      <ul>
        {questions.map((q) => (
          <li key={q.id}>
            {sessionTitle && <strong>{sessionTitle(q.sessionId)} : </strong>}
            <span>{q.text}</span>{' '}
            <span className={`me-tag${q.isAnswered ? ' me-tag--answered' : ''}`}>
              {q.isAnswered ? t('me.ask.answered') : t('me.ask.waiting')}
            </span>
            {q.seq === 0 && <span className="muted"> · {t('me.ask.pending')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
