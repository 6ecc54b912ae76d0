import type { ExhibitorRecord, LeadRecord } from '@makeplus/shared';
import { participantDisplayName } from '@makeplus/shared';
import { type FormEvent, useState } from 'react';
import type { DoorParticipant } from '../doorControl/doorIndex';
import { useI18n } from '../i18n/i18n';
import { useDeviceStore } from '../sync/DeviceSync';
import { editRecord } from '../sync/localWrites';
import type { LeadDoc } from './leadCapture';

const RATINGS = ['hot', 'warm', 'cold'] as const;

/** One lead: notes, rating, the stand's qualification questions, follow-up. Saved on the device. */
export function LeadEditor({
  doc,
  lead,
  stand,
  visitor,
  visits,
  onDone,
}: {
  doc: LeadDoc;
  lead: LeadRecord & { seq: number };
  stand: ExhibitorRecord;
  visitor: DoorParticipant | undefined;
  visits: number;
  onDone: () => void;
}) {
  const { t, tn } = useI18n();
  const store = useDeviceStore();
  const [notes, setNotes] = useState(lead.notes);
  const [rating, setRating] = useState<LeadRecord['rating']>(lead.rating);
  const [answers, setAnswers] = useState<LeadRecord['answers']>(lead.answers);
  const [followUp, setFollowUp] = useState(lead.followUp);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = visitor ? participantDisplayName(visitor) : lead.participantId;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!store) return;
    setSaving(true);
    setError(null);
    try {
      await editRecord(store, 'leads', doc, { notes, rating, answers, followUp });
      onDone();
    } catch (err) {
      setError(t('leads.saveFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="lead-editor card" onSubmit={save} aria-label={name}>
      <header className="lead-editor__head">
        <h2>{name}</h2>
        <p className="muted">
          {[visitor?.organization, visitor?.category].filter(Boolean).join(' · ')}
          {' · '}
          {tn('leads.visits', visits)}
        </p>
        <p className="lead-editor__contact">
          <strong>{t('leads.contact')} : </strong>
          {lead.visitorEmail || lead.visitorPhone ? (
            <>
              {lead.visitorEmail && <a href={`mailto:${lead.visitorEmail}`}>{lead.visitorEmail}</a>}{' '}
              {lead.visitorPhone && <a href={`tel:${lead.visitorPhone}`}>{lead.visitorPhone}</a>}
            </>
          ) : (
            <span className="muted">{t('leads.contactPending')}</span>
          )}
        </p>
      </header>

      <fieldset className="lead-rating">
        <legend>{t('leads.rating')}</legend>
        {RATINGS.map((r) => (
          <button
            key={r}
            type="button"
            className={`btn lead-rating__btn lead-rating__btn--${r}`}
            aria-pressed={rating === r}
            onClick={() => setRating(rating === r ? null : r)}
          >
            {t(`leads.rating.${r}`)}
          </button>
        ))}
      </fieldset>

      <div className="field">
        <label htmlFor={`notes-${lead.id}`}>{t('leads.notes')}</label>
        <textarea
          id={`notes-${lead.id}`}
          rows={4}
          value={notes}
          maxLength={10_000}
          onChange={(e) => setNotes(e.target.value)}
        />
      </div>

      {stand.qualificationQuestions.length > 0 && (
        <fieldset className="lead-questions">
          <legend>{t('leads.questions')}</legend>
          {stand.qualificationQuestions.map((q) => {
            const id = `q-${lead.id}-${q.id}`;
            const value = answers[q.id];
            const set = (v: string | boolean | undefined) =>
              setAnswers((a) => {
                const next = { ...a };
                if (v === undefined || v === '') delete next[q.id];
                else next[q.id] = v;
                return next;
              });
            if (q.type === 'yes_no')
              return (
                <fieldset key={q.id} className="field lead-yesno-field">
                  <legend>{q.label}</legend>
                  <div className="lead-yesno">
                    <button
                      type="button"
                      className="btn"
                      aria-pressed={value === true}
                      onClick={() => set(value === true ? undefined : true)}
                    >
                      {t('leads.yes')}
                    </button>
                    <button
                      type="button"
                      className="btn"
                      aria-pressed={value === false}
                      onClick={() => set(value === false ? undefined : false)}
                    >
                      {t('leads.no')}
                    </button>
                  </div>
                </fieldset>
              );
            if (q.type === 'choice')
              return (
                <div key={q.id} className="field">
                  <label htmlFor={id}>{q.label}</label>
                  <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(e.target.value)}>
                    <option value="">{t('leads.choose')}</option>
                    {q.options.map((o) => (
                      <option key={o} value={o}>
                        {o}
                      </option>
                    ))}
                  </select>
                </div>
              );
            return (
              <div key={q.id} className="field">
                <label htmlFor={id}>{q.label}</label>
                <input
                  id={id}
                  value={typeof value === 'string' ? value : ''}
                  maxLength={2000}
                  onChange={(e) => set(e.target.value)}
                />
              </div>
            );
          })}
        </fieldset>
      )}

      <label className="field--check lead-followup">
        <input type="checkbox" checked={followUp} onChange={(e) => setFollowUp(e.target.checked)} />
        <span>{t('leads.followUp')}</span>
      </label>

      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
      <div className="lead-editor__actions">
        <button type="button" className="btn" onClick={onDone}>
          {t('leads.back')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={saving || !store}>
          {saving ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
