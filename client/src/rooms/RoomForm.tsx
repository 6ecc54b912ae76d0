import { type ReentryPolicy, type RoomRecord, reentryPolicies, roomCreateInput } from '@makeplus/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { schemaFieldErrors } from '../forms/fieldErrors';
import { useI18n } from '../i18n/i18n';
import { folded, useLocalRecords } from '../organizer/localRecords';
import { Dialog } from '../shell/Dialog';
import { useDeviceStore } from '../sync/DeviceSync';
import { createRecord, editRecord } from '../sync/localWrites';

/** A room as the form edits it (capacity empty until typed). */
export interface RoomInput {
  name: string;
  location: string;
  capacity: number | undefined;
  description: string;
  reentryPolicy: ReentryPolicy;
  isActive: boolean;
}

interface RoomFormProps {
  /** The room to edit; absent to create one. */
  room?: RoomRecord;
  onSaved: (room: RoomRecord) => void;
  onClose: () => void;
}

interface Draft {
  name: string;
  location: string;
  capacity: string;
  description: string;
  reentryPolicy: ReentryPolicy;
  isActive: boolean;
}

const FIELD_ORDER = ['name', 'location', 'capacity', 'reentryPolicy', 'description', 'isActive'] as const;

function draftOf(room?: RoomRecord): Draft {
  return {
    name: room?.name ?? '',
    location: room?.location ?? '',
    capacity: room ? String(room.capacity) : '',
    description: room?.description ?? '',
    reentryPolicy: room?.reentryPolicy ?? 'after_exit',
    isActive: room?.isActive ?? true,
  };
}

function inputOf(d: Draft): RoomInput {
  const capacity = d.capacity.trim() === '' ? undefined : Number(d.capacity);
  return { ...d, capacity: Number.isFinite(capacity) ? capacity : undefined };
}

function changes(room: RoomRecord, input: RoomInput): Partial<RoomInput> {
  const patch: Partial<RoomInput> = {};
  for (const key of FIELD_ORDER) {
    if (input[key] !== room[key]) Object.assign(patch, { [key]: input[key] });
  }
  return patch;
}

/**
 * Create or edit a room, on this device (it syncs, offline too). The shared schema checks each
 * field here, as the server will; a name already used by another room of the event is refused.
 */
export function RoomForm({ room, onSaved, onClose }: RoomFormProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(room));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const store = useDeviceStore();
  const { records: rooms, docOf } = useLocalRecords('rooms');

  // Move focus to the first field in error so a keyboard or screen-reader user lands on it.
  useEffect(() => {
    const first = FIELD_ORDER.find((f) => fieldErrors[f]);
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }, [fieldErrors]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = inputOf(draft);
    setFormError(null);
    const found = schemaFieldErrors(roomCreateInput, input, lang);
    const name = folded(input.name.trim());
    if (!found.name && rooms?.some((r) => r.id !== room?.id && folded(r.name.trim()) === name)) {
      found.name = t('rooms.nameTaken');
    }
    setFieldErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(t('error.validation'));
      return;
    }
    if (!store) return;
    setBusy(true);
    try {
      const parsed = roomCreateInput.parse(input);
      const doc = room ? docOf(room.id) : undefined;
      if (room && !doc) throw new Error(t('rooms.gone'));
      if (room && doc) {
        const patch = changes(room, input);
        onSaved(Object.keys(patch).length ? await editRecord(store, 'rooms', doc, patch as Partial<RoomRecord>) : room);
      } else {
        onSaved(await createRecord(store, 'rooms', parsed));
      }
    } catch (err) {
      setFormError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const fieldProps = (name: (typeof FIELD_ORDER)[number]) => ({
    id: `${id}-${name}`,
    name,
    'aria-invalid': fieldErrors[name] ? true : undefined,
    'aria-describedby': fieldErrors[name] ? `${id}-${name}-error` : undefined,
  });
  const errorOf = (name: string) =>
    fieldErrors[name] ? (
      <p className="field__error" id={`${id}-${name}-error`}>
        {fieldErrors[name]}
      </p>
    ) : null;
  const otherErrors = Object.entries(fieldErrors).filter(([f]) => !(FIELD_ORDER as readonly string[]).includes(f));

  return (
    <Dialog
      title={room ? t('rooms.editTitle', { name: room.name }) : t('rooms.createTitle')}
      onClose={onClose}
      size="wide"
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form={`${id}-form`} className="btn btn--primary" disabled={busy}>
            {busy ? t('common.saving') : room ? t('common.save') : t('rooms.create')}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} ref={formRef} className="form form--grid" onSubmit={(e) => void submit(e)} noValidate>
        {formError && (
          <p className="form-error form--span" role="alert">
            {formError}
          </p>
        )}
        {otherErrors.map(([f, reason]) => (
          <p key={f} className="form-error form--span">
            {f}: {reason}
          </p>
        ))}
        <div className="field form--span">
          <label htmlFor={`${id}-name`}>
            {t('rooms.field.name')} <span className="required">*</span>
          </label>
          <input
            {...fieldProps('name')}
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            autoComplete="off"
            required
          />
          {errorOf('name')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-location`}>{t('rooms.field.location')}</label>
          <input
            {...fieldProps('location')}
            value={draft.location}
            onChange={(e) => set('location', e.target.value)}
            placeholder={t('rooms.field.locationHint')}
            autoComplete="off"
          />
          {errorOf('location')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-capacity`}>
            {t('rooms.field.capacity')} <span className="required">*</span>
          </label>
          <input
            {...fieldProps('capacity')}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={draft.capacity}
            onChange={(e) => set('capacity', e.target.value)}
            required
          />
          {errorOf('capacity')}
        </div>
        <div className="field form--span">
          <label htmlFor={`${id}-reentryPolicy`}>{t('rooms.field.reentryPolicy')}</label>
          <select
            {...fieldProps('reentryPolicy')}
            value={draft.reentryPolicy}
            onChange={(e) => set('reentryPolicy', e.target.value as ReentryPolicy)}
          >
            {reentryPolicies.map((p) => (
              <option key={p} value={p}>
                {t(`rooms.reentry.${p}`)}
              </option>
            ))}
          </select>
          <p className="field__hint">{t(`rooms.reentry.${draft.reentryPolicy}.hint`)}</p>
          {errorOf('reentryPolicy')}
        </div>
        <div className="field form--span">
          <label htmlFor={`${id}-description`}>{t('rooms.field.description')}</label>
          <textarea
            {...fieldProps('description')}
            rows={3}
            value={draft.description}
            onChange={(e) => set('description', e.target.value)}
          />
          {errorOf('description')}
        </div>
        <div className="field field--check form--span">
          <input
            {...fieldProps('isActive')}
            type="checkbox"
            checked={draft.isActive}
            onChange={(e) => set('isActive', e.target.checked)}
          />
          <label htmlFor={`${id}-isActive`}>{t('rooms.field.isActive')}</label>
          {errorOf('isActive')}
        </div>
      </form>
    </Dialog>
  );
}
