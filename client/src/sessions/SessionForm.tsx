import {
  minorToDecimalString,
  parseDecimalToMinor,
  type RoomRecord,
  type SessionRecord,
  sessionCreateInput,
  sessionTypes,
} from '@makeplus/shared';
import { type FormEvent, useId, useState } from 'react';
import { z } from 'zod';
import { useI18n } from '../i18n/i18n';
import { useLocalRecords } from '../organizer/localRecords';
import { Dialog } from '../shell/Dialog';
import { useDeviceStore } from '../sync/DeviceSync';
import { createRecord, editRecord } from '../sync/localWrites';
import { CoverUpload } from './CoverUpload';
import { fromLocalInput, toLocalInput } from './sessionTimes';

type Draft = {
  title: string;
  roomId: string;
  sessionType: SessionRecord['sessionType'];
  startsAt: string;
  endsAt: string;
  description: string;
  theme: string;
  speakerName: string;
  speakerTitle: string;
  speakerBio: string;
  speakerPhotoUrl: string;
  coverImageUrl: string;
  youtubeLiveUrl: string;
  isPaid: boolean;
  price: string;
  capacity: string;
};

function draftOf(s: SessionRecord | undefined, rooms: readonly RoomRecord[], day?: string): Draft {
  const start = day ? `${day}T09:00` : '';
  const end = day ? `${day}T10:00` : '';
  return {
    title: s?.title ?? '',
    roomId: s?.roomId ?? rooms[0]?.id ?? '',
    sessionType: s?.sessionType ?? 'conference',
    startsAt: s ? toLocalInput(s.startsAt) : start,
    endsAt: s ? toLocalInput(s.endsAt) : end,
    description: s?.description ?? '',
    theme: s?.theme ?? '',
    speakerName: s?.speakerName ?? '',
    speakerTitle: s?.speakerTitle ?? '',
    speakerBio: s?.speakerBio ?? '',
    speakerPhotoUrl: s?.speakerPhotoUrl ?? '',
    coverImageUrl: s?.coverImageUrl ?? '',
    youtubeLiveUrl: s?.youtubeLiveUrl ?? '',
    isPaid: s?.isPaid ?? false,
    price: s?.isPaid ? minorToDecimalString(s.priceMinor) : '',
    capacity: s?.capacity ? String(s.capacity) : '',
  };
}

/**
 * Create or edit a session with every field of the contract. Saved on this device and synced (the
 * server keeps a paid workshop's payable item in step with its price and seats).
 */
export function SessionForm({
  session,
  rooms,
  day,
  onClose,
  onSaved,
}: {
  session?: SessionRecord;
  rooms: readonly RoomRecord[];
  day?: string;
  onClose: () => void;
  onSaved: (s: SessionRecord) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const store = useDeviceStore();
  const { docOf } = useLocalRecords('sessions', session ? { id: session.id } : { id: '' });
  const themes = useLocalRecords('events').records?.[0]?.themes ?? [];
  const [draft, setDraft] = useState<Draft>(() => draftOf(session, rooms, day));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const priceMinor = draft.isPaid ? parseDecimalToMinor(draft.price) : 0;
    const found: Record<string, string> = {};
    if (draft.isPaid && (priceMinor === null || priceMinor <= 0)) found.priceMinor = t('sessions.error.price');
    const capacity = draft.capacity.trim() ? Number(draft.capacity) : null;
    const input = {
      title: draft.title,
      roomId: draft.roomId,
      sessionType: draft.sessionType,
      startsAt: fromLocalInput(draft.startsAt),
      endsAt: fromLocalInput(draft.endsAt),
      description: draft.description,
      theme: draft.theme.trim(),
      speakerName: draft.speakerName.trim(),
      speakerTitle: draft.speakerTitle.trim(),
      speakerBio: draft.speakerBio,
      speakerPhotoUrl: draft.speakerPhotoUrl.trim(),
      coverImageUrl: draft.coverImageUrl.trim(),
      youtubeLiveUrl: draft.youtubeLiveUrl.trim(),
      isPaid: draft.isPaid,
      priceMinor: priceMinor ?? 0,
      capacity,
      status: session?.status ?? 'not_started',
      sortOrder: session?.sortOrder ?? 0,
    };
    const parsed = sessionCreateInput.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        found[field] ??=
          field === 'endsAt' && issue.code === 'custom'
            ? t('sessions.error.endsAfter')
            : field.endsWith('Url')
              ? t('sessions.error.url')
              : issue.code === 'too_small' || input[field as keyof typeof input] === ''
                ? t('field.required')
                : z.prettifyError({ issues: [issue] } as z.ZodError);
      }
    }
    setErrors(found);
    if (Object.keys(found).length || !parsed.success || !store) return;
    try {
      const doc = session ? docOf(session.id) : undefined;
      const saved = doc
        ? await editRecord(store, 'sessions', doc, parsed.data)
        : await createRecord(store, 'sessions', parsed.data);
      onSaved(saved);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  };

  const text = (k: keyof Draft, type = 'text', span = false) => (
    <div className={`field${span ? ' form--span' : ''}`}>
      <label htmlFor={`${id}-${k}`}>
        {t(`sessions.field.${k}` as 'sessions.field.title')}
        {k === 'title' && <span className="required"> *</span>}
      </label>
      <input
        id={`${id}-${k}`}
        name={k}
        type={type}
        value={String(draft[k])}
        aria-invalid={errors[k === 'price' ? 'priceMinor' : k] ? true : undefined}
        onChange={(e) => set(k, e.target.value as never)}
      />
      {errors[k === 'price' ? 'priceMinor' : k] && (
        <span className="field__error">{errors[k === 'price' ? 'priceMinor' : k]}</span>
      )}
    </div>
  );

  return (
    <Dialog
      title={session ? t('sessions.editTitle', { title: session.title }) : t('sessions.newTitle')}
      onClose={onClose}
      size="wide"
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={id} className="btn btn--primary">
            {t('common.save')}
          </button>
        </>
      }
    >
      <form id={id} className="form form--grid" onSubmit={(e) => void submit(e)} noValidate>
        {text('title', 'text', true)}
        <div className="field">
          <label htmlFor={`${id}-roomId`}>{t('sessions.field.roomId')}</label>
          <select id={`${id}-roomId`} value={draft.roomId} onChange={(e) => set('roomId', e.target.value)}>
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {errors.roomId && <span className="field__error">{t('sessions.error.room')}</span>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('sessions.field.sessionType')}</label>
          <select
            id={`${id}-type`}
            value={draft.sessionType}
            onChange={(e) => set('sessionType', e.target.value as Draft['sessionType'])}
          >
            {sessionTypes.map((st) => (
              <option key={st} value={st}>
                {t(`sessions.type.${st}`)}
              </option>
            ))}
          </select>
        </div>
        {text('startsAt', 'datetime-local')}
        {text('endsAt', 'datetime-local')}
        <div className="field">
          <label htmlFor={`${id}-theme`}>{t('sessions.field.theme')}</label>
          <input
            id={`${id}-theme`}
            list={`${id}-themes`}
            value={draft.theme}
            onChange={(e) => set('theme', e.target.value)}
          />
          <datalist id={`${id}-themes`}>
            {themes.map((th) => (
              <option key={th} value={th} />
            ))}
          </datalist>
        </div>
        {text('youtubeLiveUrl', 'url')}
        <div className="field form--span">
          <label htmlFor={`${id}-description`}>{t('sessions.field.description')}</label>
          <textarea
            id={`${id}-description`}
            rows={3}
            value={draft.description}
            onChange={(e) => set('description', e.target.value)}
          />
        </div>
        {text('speakerName')}
        {text('speakerTitle')}
        <div className="field form--span">
          <label htmlFor={`${id}-bio`}>{t('sessions.field.speakerBio')}</label>
          <textarea
            id={`${id}-bio`}
            rows={2}
            value={draft.speakerBio}
            onChange={(e) => set('speakerBio', e.target.value)}
          />
        </div>
        {text('speakerPhotoUrl', 'url')}
        {text('coverImageUrl', 'url')}
        <CoverUpload value={draft.coverImageUrl.trim()} onUploaded={(url) => set('coverImageUrl', url)} />
        <label className="field--check form--span">
          <input type="checkbox" checked={draft.isPaid} onChange={(e) => set('isPaid', e.target.checked)} />{' '}
          {t('sessions.field.isPaid')}
        </label>
        {draft.isPaid && (
          <>
            {text('price', 'text')}
            {text('capacity', 'number')}
            <p className="muted form--span">{t('sessions.paidExplain')}</p>
          </>
        )}
        {failure && (
          <p className="form-error form--span" role="alert">
            {failure}
          </p>
        )}
      </form>
    </Dialog>
  );
}
