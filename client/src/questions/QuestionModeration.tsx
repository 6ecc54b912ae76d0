import { participantDisplayName, type QuestionRecord, type SessionRecord } from '@makeplus/shared';
import { useId, useMemo, useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import { ErrorLine, SearchField } from '../organizer/PageParts';
import type { DeviceStore } from '../sync/DeviceSync';
import { editRecord } from '../sync/localWrites';
import '../organizer/organizer.css';

export type QuestionState = 'unanswered' | 'answered' | 'hidden';
export const questionStates: readonly QuestionState[] = ['unanswered', 'answered', 'hidden'];

/** Where a question stands for a moderator: hidden first (whatever its answer), then answered or not. */
export function questionState(q: Pick<QuestionRecord, 'isHidden' | 'isAnswered'>): QuestionState {
  if (q.isHidden) return 'hidden';
  return q.isAnswered ? 'answered' : 'unanswered';
}
const statePill: Record<QuestionState, string> = {
  unanswered: 'pill--upcoming',
  answered: 'pill--active',
  hidden: 'pill--muted',
};

/**
 * The audience's questions to the given sessions, with the moderator's actions: mark answered (or
 * not), hide (or show again). Read from and written to this device's database, so it works offline;
 * the changes sync like any other edit (a participant sees theirs answered).
 */
export function QuestionModeration({
  store,
  sessions,
  headingLevel = 2,
}: {
  store: DeviceStore;
  /** The sessions moderated here (all of the event in the console, the room's for a room manager). */
  sessions: readonly SessionRecord[];
  headingLevel?: 2 | 3;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const auth = useSession();
  const { records: questions, docOf } = useLocalRecords('questions');
  const { records: participants } = useLocalRecords('participants');
  const searchId = useId();
  const [q, setQ] = useState('');
  const [sessionId, setSessionId] = useState('');
  const [state, setState] = useState<QuestionState | ''>('unanswered');
  const [error, setError] = useState<string | null>(null);

  const sessionById = useMemo(() => new Map(sessions.map((s) => [s.id, s])), [sessions]);
  const nameOf = useMemo(() => {
    const map = new Map((participants ?? []).map((p) => [p.id, participantDisplayName(p)]));
    return (question: QuestionRecord) =>
      (question.participantId && map.get(question.participantId)) || t('questions.anonymous');
  }, [participants, t]);
  const mine = useMemo(() => (questions ?? []).filter((x) => sessionById.has(x.sessionId)), [questions, sessionById]);
  const counts = useMemo(() => {
    const c: Record<QuestionState, number> = { unanswered: 0, answered: 0, hidden: 0 };
    for (const x of mine) if (!sessionId || x.sessionId === sessionId) c[questionState(x)]++;
    return c;
  }, [mine, sessionId]);
  const filtered = useMemo(
    () =>
      mine.filter(
        (x) =>
          (!sessionId || x.sessionId === sessionId) &&
          (!state || questionState(x) === state) &&
          matchesQuery(q, x.text, nameOf(x), sessionById.get(x.sessionId)?.title),
      ),
    [mine, sessionId, state, q, nameOf, sessionById],
  );

  const change = async (question: QuestionRecord, patch: Partial<QuestionRecord>) => {
    const doc = docOf(question.id);
    if (!doc) return;
    setError(null);
    try {
      await editRecord(store, 'questions', doc, patch);
    } catch (err) {
      setError(t('questions.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };
  const answer = (x: QuestionRecord, answered: boolean) =>
    change(
      x,
      answered
        ? { isAnswered: true, answeredAt: new Date().toISOString(), answeredBy: auth?.user?.id ?? null }
        : { isAnswered: false, answeredAt: null, answeredBy: null },
    );

  const columns = useMemo<Column<QuestionRecord>[]>(
    () => [
      {
        key: 'text',
        label: t('questions.field.text'),
        rowHeader: true,
        sortValue: (x) => x.text,
        render: (x) => (
          <>
            <span className="question-text">{x.text}</span>
            <span className="cell-sub">
              {nameOf(x)}
              {x.seq === 0 && ` · ${t('questions.pending')}`}
            </span>
          </>
        ),
      },
      {
        key: 'session',
        label: t('questions.field.session'),
        sortValue: (x) => sessionById.get(x.sessionId)?.title ?? '',
        render: (x) => sessionById.get(x.sessionId)?.title ?? '—',
      },
      {
        key: 'askedAt',
        label: t('questions.field.askedAt'),
        sortValue: (x) => x.askedAt,
        render: (x) => i18n.dateTime(x.askedAt),
      },
      {
        key: 'state',
        label: t('questions.field.state'),
        sortValue: (x) => questionState(x),
        render: (x) => {
          const s = questionState(x);
          return <span className={`pill ${statePill[s]}`}>{t(`questions.state.${s}`)}</span>;
        },
      },
    ],
    [t, i18n, nameOf, sessionById],
  );

  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const orderedSessions = [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  return (
    <section className="question-moderation" aria-labelledby={`${searchId}-title`}>
      <Heading id={`${searchId}-title`}>{t('questions.moderation')}</Heading>
      <p className="muted" aria-live="polite">
        {questions ? tn('questions.waiting', counts.unanswered) : t('common.loading')}
      </p>
      <div className="toolbar toolbar--wrap">
        <SearchField label={t('questions.search')} value={q} onChange={setQ} />
        <select
          aria-label={t('questions.field.session')}
          value={sessionId}
          onChange={(e) => setSessionId(e.target.value)}
        >
          <option value="">{t('questions.anySession')}</option>
          {orderedSessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a group of toggle buttons, not a form fieldset */}
      <div className="tabs" role="group" aria-label={t('questions.field.state')}>
        {questionStates.map((s) => (
          <button
            key={s}
            type="button"
            className="btn btn--small"
            aria-pressed={state === s}
            onClick={() => setState(s)}
          >
            {t(`questions.filter.${s}`, { count: i18n.number(counts[s]) })}
          </button>
        ))}
        <button type="button" className="btn btn--small" aria-pressed={state === ''} onClick={() => setState('')}>
          {t('questions.filter.all')}
        </button>
      </div>
      <ErrorLine text={error} />
      {questions === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <DataTable
          caption={t('questions.moderation')}
          rows={filtered}
          columns={columns}
          rowKey={(x) => x.id}
          initialSort={{ key: 'askedAt', dir: 'asc' }}
          resetKey={`${q}|${sessionId}|${state}`}
          empty={<p>{mine.length ? t('questions.noMatch') : t('questions.empty')}</p>}
          actions={(x) => (
            <>
              {!x.isHidden && (
                <button
                  type="button"
                  className={x.isAnswered ? 'btn btn--small' : 'btn btn--small btn--primary'}
                  onClick={() => void answer(x, !x.isAnswered)}
                >
                  {x.isAnswered ? t('questions.markUnanswered') : t('questions.markAnswered')}
                </button>
              )}
              <button
                type="button"
                className="btn btn--small"
                onClick={() => void change(x, { isHidden: !x.isHidden })}
              >
                {x.isHidden ? t('questions.show') : t('questions.hide')}
              </button>
            </>
          )}
        />
      )}
    </section>
  );
}
