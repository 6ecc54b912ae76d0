import { formatMoney, type ParticipantRecord, participantDisplayName } from '@makeplus/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { useLocalRecords } from '../organizer/localRecords';
import { Dialog } from '../shell/Dialog';
import { useDeviceStore } from '../sync/DeviceSync';
import { editRecord, removeRecord } from '../sync/localWrites';
import { type ParticipantActivity, participantActivity } from './participantsApi';

const EDITABLE = ['firstName', 'lastName', 'email', 'phone', 'organization', 'category'] as const;
type Draft = Record<(typeof EDITABLE)[number], string> & { allRooms: boolean; roomIds: string[] };

const draftOf = (p: ParticipantRecord): Draft => ({
  firstName: p.firstName,
  lastName: p.lastName,
  email: p.email,
  phone: p.phone,
  organization: p.organization,
  category: p.category,
  allRooms: p.allowedRoomIds === null,
  roomIds: p.allowedRoomIds ?? [],
});

/**
 * One participant: edit their details and the rooms they may enter (saved on this device and synced,
 * offline too), see their scans, purchases and leads (from the server), or delete the registration.
 */
export function ParticipantDetails({
  eventId,
  participantId,
  onClose,
}: {
  eventId: string;
  participantId: string;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const id = useId();
  const store = useDeviceStore();
  const { records, docOf } = useLocalRecords('participants', { id: participantId });
  const { records: rooms } = useLocalRecords('rooms');
  const currency = useLocalRecords('events').records?.[0]?.currency ?? 'DZD';
  const person = records?.[0];
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [activity, setActivity] = useState<ParticipantActivity | { failed: unknown } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form starts from the record once it is there
  useEffect(() => {
    if (person && !draft) setDraft(draftOf(person));
  }, [person]);

  useEffect(() => {
    const controller = new AbortController();
    participantActivity(eventId, participantId, controller.signal)
      .then(setActivity)
      .catch((failed: unknown) => {
        if (!controller.signal.aborted) setActivity({ failed });
      });
    return () => controller.abort();
  }, [eventId, participantId]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const doc = docOf(participantId);
    if (!store || !doc || !draft || !person) return;
    setError(null);
    setSaved(false);
    try {
      await editRecord(store, 'participants', doc, {
        firstName: draft.firstName.trim(),
        lastName: draft.lastName.trim(),
        email: person.userId ? person.email : draft.email.trim().toLowerCase(),
        phone: draft.phone.trim(),
        organization: draft.organization.trim(),
        category: draft.category.trim(),
        allowedRoomIds: draft.allRooms ? null : draft.roomIds,
      });
      setSaved(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const remove = async () => {
    const doc = docOf(participantId);
    if (!doc) return;
    await removeRecord(doc);
    onClose();
  };

  const roomName = (rid: string | null) => rooms?.find((r) => r.id === rid)?.name ?? '—';

  return (
    <Dialog
      title={person ? participantDisplayName(person) : t('common.loading')}
      onClose={onClose}
      size="wide"
      actions={
        person && draft ? (
          <>
            <button type="button" className="btn btn--danger-outline" onClick={() => setConfirmDelete(true)}>
              {t('common.delete')}
            </button>
            <button type="submit" form={id} className="btn btn--primary">
              {t('common.save')}
            </button>
          </>
        ) : undefined
      }
    >
      {!person || !draft ? (
        <p className="muted">{t('participants.arriving')}</p>
      ) : (
        <>
          <form id={id} className="form form--grid" onSubmit={(e) => void save(e)}>
            {EDITABLE.map((f) => (
              <div className="field" key={f}>
                <label htmlFor={`${id}-${f}`}>{t(`participants.field.${f}`)}</label>
                <input
                  id={`${id}-${f}`}
                  value={draft[f]}
                  readOnly={f === 'email' && !!person.userId}
                  onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
                />
                {f === 'email' && person.userId && <span className="field__hint">{t('participants.emailLinked')}</span>}
              </div>
            ))}
            <fieldset className="field form--span">
              <legend>{t('participants.allowedRooms')}</legend>
              <label className="field--check">
                <input
                  type="checkbox"
                  checked={draft.allRooms}
                  onChange={(e) => setDraft({ ...draft, allRooms: e.target.checked })}
                />{' '}
                {t('participants.allRooms')}
              </label>
              {!draft.allRooms && (
                <div className="check-grid">
                  {(rooms ?? []).map((r) => (
                    <label key={r.id} className="field--check">
                      <input
                        type="checkbox"
                        checked={draft.roomIds.includes(r.id)}
                        onChange={(e) =>
                          setDraft({
                            ...draft,
                            roomIds: e.target.checked
                              ? [...draft.roomIds, r.id]
                              : draft.roomIds.filter((x) => x !== r.id),
                          })
                        }
                      />{' '}
                      {r.name}
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
            {saved && (
              <p className="notice form--span" role="status">
                {t('participants.savedLocally')}
              </p>
            )}
            {error && (
              <p className="form-error form--span" role="alert">
                {error}
              </p>
            )}
          </form>

          <dl className="facts">
            <div>
              <dt>{t('participants.field.source')}</dt>
              <dd>{t(`participants.source.${person.source}`)}</dd>
            </div>
            <div>
              <dt>{t('participants.badgeId')}</dt>
              <dd>{person.legacyBadgeId || t('participants.eventBadge')}</dd>
            </div>
          </dl>

          <section aria-labelledby={`${id}-activity`}>
            <h3 id={`${id}-activity`}>{t('participants.activity')}</h3>
            {activity === null && <p className="muted">{t('common.loading')}</p>}
            {activity && 'failed' in activity && (
              <p className="inline-error" role="alert">
                {t('participants.activityNeedsNetwork')} {describeError(activity.failed, i18n)}
              </p>
            )}
            {activity && !('failed' in activity) && (
              <div className="activity-grid">
                <div>
                  <h4>{t('participants.scans', { count: activity.scans.length })}</h4>
                  <ul className="plain-list">
                    {activity.scans.slice(0, 50).map((s) => (
                      <li key={s.id}>
                        <span className={`pill ${s.granted ? 'pill--active' : 'pill--cancelled'}`}>
                          {s.granted ? t('participants.granted') : t('participants.denied')}
                        </span>{' '}
                        {s.roomName || roomName(s.roomId)} ·{' '}
                        {s.direction === 'out' ? t('participants.exit') : t('participants.entry')} ·{' '}
                        {dateTime(s.occurredAt)}
                        {!s.granted && <span className="cell-sub">{s.reason}</span>}
                      </li>
                    ))}
                    {activity.scans.length === 0 && <li className="muted">{t('participants.none')}</li>}
                  </ul>
                </div>
                <div>
                  <h4>{t('participants.purchases', { count: activity.transactions.length })}</h4>
                  <ul className="plain-list">
                    {activity.transactions.map((x) => (
                      <li key={x.id}>
                        {x.receiptNumber} · {formatMoney(x.totalMinor, currency, i18n.lang)} · {x.items}
                        {x.status === 'cancelled' && (
                          <span className="pill pill--cancelled">{t('participants.cancelledSale')}</span>
                        )}
                        <span className="cell-sub">{dateTime(x.occurredAt)}</span>
                      </li>
                    ))}
                    {activity.transactions.length === 0 && <li className="muted">{t('participants.none')}</li>}
                  </ul>
                </div>
                <div>
                  <h4>{t('participants.leads', { count: activity.leads.length })}</h4>
                  <ul className="plain-list">
                    {activity.leads.map((l) => (
                      <li key={l.id}>
                        {l.exhibitorName} · {dateTime(l.firstCapturedAt)}
                      </li>
                    ))}
                    {activity.leads.length === 0 && <li className="muted">{t('participants.none')}</li>}
                  </ul>
                </div>
              </div>
            )}
          </section>
        </>
      )}
      {confirmDelete && person && (
        <Dialog
          title={t('participants.deleteTitle', { name: participantDisplayName(person) })}
          onClose={() => setConfirmDelete(false)}
          actions={
            <>
              <button type="button" className="btn" onClick={() => setConfirmDelete(false)}>
                {t('common.cancel')}
              </button>
              <button type="button" className="btn btn--danger" onClick={() => void remove()}>
                {t('common.delete')}
              </button>
            </>
          }
        >
          <p>{t('participants.deleteExplain')}</p>
        </Dialog>
      )}
    </Dialog>
  );
}
