import {
  DEFAULT_UPLOAD_MAX_BYTES,
  type EventFileSlot,
  type EventRecord,
  eventFileSlotField,
  eventFileSlotKinds,
  eventFileSlots,
  eventStatuses,
} from '@makeplus/shared';
import { type ReactNode, useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { type MessageKey, useI18n } from '../i18n/i18n';
import {
  clearEventFile,
  createEvent,
  getEvent,
  releaseEventTokens,
  updateEvent,
  uploadEventFile,
} from './eventAdminApi';
import {
  acceptOf,
  checkChosenFile,
  checkStep,
  emptyForm,
  type FieldProblem,
  formOf,
  type StepProblems,
  stepOfField,
  toEventInput,
  type WizardForm,
  type WizardStep,
  wizardSteps,
} from './eventWizardModel';
import '../organizer/organizer.css';
import './events.css';

interface SlotState {
  file: File | null;
  problem: string | null;
  remove: boolean;
  sent: number;
  done: boolean;
}
const freshSlots = (): Record<EventFileSlot, SlotState> =>
  Object.fromEntries(
    eventFileSlots.map((s) => [s, { file: null, problem: null, remove: false, sent: 0, done: false }]),
  ) as Record<EventFileSlot, SlotState>;

const SETTINGS_EXAMPLE = '{\n  "permissionOverrides": { "cashier": ["event.read", "sales.create"] }\n}';

/** Sizes as people read them (Mo / MB). */
function useSize() {
  const { lang } = useI18n();
  return (bytes: number) =>
    bytes < 1024 * 1024
      ? `${new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(bytes / 1024)} ${lang === 'fr' ? 'Ko' : 'KB'}`
      : `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} ${lang === 'fr' ? 'Mo' : 'MB'}`;
}

/**
 * Organizer › Events › create or edit: one event in five steps (details, files, themes and
 * categories, colour, advanced settings). Each step is checked before the next; files are checked
 * on the device (size, kind by their first bytes) and sent with a progress bar when saving.
 */
export function EventWizard() {
  const i18n = useI18n();
  const { t } = i18n;
  const size = useSize();
  const id = useId();
  const navigate = useNavigate();
  const params = useParams();
  const [editingId, setEditingId] = useState<string | null>(params.eventId ?? null);
  const [original, setOriginal] = useState<EventRecord | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [form, setForm] = useState<WizardForm>(() => emptyForm());
  const [step, setStep] = useState<WizardStep>('basics');
  const [visited, setVisited] = useState<Set<WizardStep>>(new Set(['basics']));
  const [problems, setProblems] = useState<StepProblems>({});
  const [slots, setSlots] = useState(freshSlots);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => {
    if (!params.eventId) return;
    getEvent(params.eventId)
      .then((e) => {
        setOriginal(e);
        setForm(formOf(e));
        setVisited(new Set(wizardSteps));
      })
      .catch(setLoadError);
  }, [params.eventId]);
  useEffect(() => () => void releaseEventTokens(), []);

  const set = <K extends keyof WizardForm>(key: K, value: WizardForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setProblems(({ [key]: _gone, ...rest }) => rest);
  };
  const index = wizardSteps.indexOf(step);
  const go = (next: WizardStep) => {
    setStep(next);
    setVisited((v) => new Set([...v, next]));
    setSaveError(null);
  };
  const leave = (target: WizardStep) => {
    // Going back is always allowed; going forward needs this step right.
    if (wizardSteps.indexOf(target) > index) {
      // A refused file is not kept (its message stays): it does not hold the wizard back.
      const found = checkStep(step, form);
      setProblems(found);
      if (Object.keys(found).length > 0) return;
    }
    go(target);
  };

  const problemText = (p: { problem: FieldProblem; detail?: string } | undefined): string | null => {
    if (!p) return null;
    switch (p.problem) {
      case 'required':
        return t('field.required');
      case 'tooLong':
        return t('field.maxLength', { max: 100 });
      case 'endsBeforeStart':
        return t('wizard.endsBeforeStart');
      case 'badUrl':
        return t('wizard.badUrl');
      case 'badColour':
      case 'badDate':
      case 'tooMany':
        return t('field.format');
      case 'invalidJson':
        return t('wizard.advanced.invalidJson', { message: p.detail ?? '' });
      case 'notObject':
        return t('wizard.advanced.notObject');
    }
  };
  const field = (name: keyof WizardForm, label: MessageKey & `wizard.${string}`, input: ReactNode, hint?: string) => {
    const problem = problemText(problems[name]);
    return (
      <div className={`field ${name === 'description' || name === 'name' ? 'form--span' : ''}`}>
        <label htmlFor={`${id}-${name}`}>{t(label as 'wizard.field.name')}</label>
        {input}
        {hint && <p className="field__hint">{hint}</p>}
        {problem && (
          <p className="field__error" id={`${id}-${name}-error`} role="alert">
            {problem}
          </p>
        )}
      </div>
    );
  };
  const inputProps = (name: keyof WizardForm) => ({
    id: `${id}-${name}`,
    name,
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `${id}-${name}-error` : undefined,
  });

  const choose = async (slot: EventFileSlot, file: File | undefined) => {
    if (!file) return;
    const check = await checkChosenFile(slot, file, DEFAULT_UPLOAD_MAX_BYTES);
    let problem: string | null = null;
    if (!check.ok) {
      const vars = { name: file.name, size: size(file.size), max: size(DEFAULT_UPLOAD_MAX_BYTES) };
      if (check.reason === 'too_large') problem = t('wizard.file.tooLarge', vars);
      else if (check.reason === 'empty') problem = t('wizard.file.empty', { name: file.name });
      else
        problem = t('wizard.file.wrongType', {
          name: file.name,
          accepted: eventFileSlotKinds[slot].map((k) => k.toUpperCase()).join(', '),
        });
    }
    setSlots((s) => ({
      ...s,
      [slot]: { file: check.ok ? file : null, problem, remove: false, sent: 0, done: false },
    }));
  };

  const save = async () => {
    for (const s of wizardSteps) {
      const found = checkStep(s, form);
      if (Object.keys(found).length > 0) {
        setProblems(found);
        go(s);
        setSaveError(t('wizard.fixErrors'));
        return;
      }
    }
    setSaving(true);
    setSaveError(null);
    const input = toEventInput(form, original?.metadata ?? {});
    let event: EventRecord;
    try {
      if (editingId) {
        const {
          logoUrl: _l,
          bannerUrl: _b,
          programmeUrl: _p,
          guideUrl: _g,
          currency: _c,
          timezone: _tz,
          ...patch
        } = input;
        event = await updateEvent(editingId, { ...patch, ...(original ? { rev: original.rev } : {}) });
      } else {
        event = await createEvent(input);
        // From here on the event exists: a failed upload is retried by saving again (edit mode).
        setEditingId(event.id);
      }
      setOriginal(event);
    } catch (err) {
      setSaving(false);
      if (err instanceof ApiError && err.fields.length > 0) {
        const reasons = err.fieldReasons();
        const first = Object.keys(reasons)[0] ?? '';
        const top = first.split('.')[0] ?? '';
        const target = stepOfField[top] ?? 'basics';
        const formName = top === 'settings' ? 'settingsJson' : top === 'metadata' ? 'categories' : top;
        setProblems({ [formName]: { problem: 'invalidJson', detail: `${first}: ${reasons[first]}` } });
        go(target);
        setSaveError(t('wizard.serverRefused', { message: `${first}: ${reasons[first]}` }));
      } else setSaveError(describeError(err, i18n));
      return;
    }
    for (const slot of eventFileSlots) {
      const state = slots[slot];
      try {
        if (state.file && !state.done) {
          const file = state.file;
          event = await uploadEventFile(event.id, slot, file, (sent) =>
            setSlots((s) => ({ ...s, [slot]: { ...s[slot], sent } })),
          );
          setSlots((s) => ({ ...s, [slot]: { ...s[slot], sent: file.size, done: true } }));
        } else if (state.remove && event[eventFileSlotField[slot]]) {
          event = await clearEventFile(event.id, slot);
          setSlots((s) => ({ ...s, [slot]: { ...s[slot], remove: false } }));
        }
        setOriginal(event);
      } catch (err) {
        setSaving(false);
        go('files');
        const message =
          err instanceof ApiError && err.status >= 400 && err.status < 500 ? err.message : describeError(err, i18n);
        setSaveError(t('wizard.uploadFailed', { name: state.file?.name ?? t(`wizard.file.${slot}`), message }));
        return;
      }
    }
    await releaseEventTokens();
    setSaving(false);
    navigate('/organizer/events', {
      state: { notice: t(params.eventId ? 'eventAdmin.saved' : 'eventAdmin.created', { name: event.name }) },
    });
  };

  if (loadError) {
    return (
      <div className="page">
        <p className="inline-error" role="alert">
          {describeError(loadError, i18n)}
        </p>
        <Link to="/organizer/events">{t('wizard.back')}</Link>
      </div>
    );
  }
  if (params.eventId && !original) return <p className="page muted">{t('common.loading')}</p>;

  const last = index === wizardSteps.length - 1;
  // Files being sent (or sent) show their progress on whatever step the wizard is.
  const sending = eventFileSlots
    .map((slot) => [slot, slots[slot]] as const)
    .filter((e): e is readonly [EventFileSlot, SlotState & { file: File }] => {
      const st = e[1];
      return st.file !== null && (saving || st.sent > 0 || st.done);
    });
  return (
    <div className="page wizard">
      <div className="page-head">
        <div>
          <h1 className="page-title">
            {params.eventId ? t('wizard.editTitle', { name: original?.name ?? '' }) : t('wizard.createTitle')}
          </h1>
          <p className="muted">{t('wizard.stepOf', { step: index + 1, steps: wizardSteps.length })}</p>
        </div>
      </div>
      <nav aria-label={t('wizard.steps')}>
        <ol className="wizard__steps">
          {wizardSteps.map((s, i) => (
            <li key={s}>
              <button
                type="button"
                className="wizard__step"
                aria-current={s === step ? 'step' : undefined}
                disabled={!visited.has(s) || saving}
                onClick={() => leave(s)}
              >
                <span className="wizard__num" aria-hidden="true">
                  {i + 1}
                </span>
                {t(`wizard.step.${s}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      <form
        className="card form form--grid wizard__body"
        noValidate
        aria-label={t(`wizard.step.${step}`)}
        onSubmit={(e) => {
          e.preventDefault();
          if (last) void save();
          else leave(wizardSteps[index + 1] as WizardStep);
        }}
      >
        <h2 className="form--span">{t(`wizard.step.${step}`)}</h2>
        {step === 'basics' && (
          <>
            {field(
              'name',
              'wizard.field.name',
              <input
                {...inputProps('name')}
                value={form.name}
                onChange={(e) => set('name', e.target.value)}
                autoComplete="off"
                required
              />,
            )}
            {field(
              'startsAt',
              'wizard.field.startsAt',
              <input
                {...inputProps('startsAt')}
                type="datetime-local"
                value={form.startsAt}
                onChange={(e) => set('startsAt', e.target.value)}
                required
              />,
            )}
            {field(
              'endsAt',
              'wizard.field.endsAt',
              <input
                {...inputProps('endsAt')}
                type="datetime-local"
                value={form.endsAt}
                onChange={(e) => set('endsAt', e.target.value)}
                required
              />,
            )}
            {field(
              'venue',
              'wizard.field.venue',
              <input {...inputProps('venue')} value={form.venue} onChange={(e) => set('venue', e.target.value)} />,
            )}
            {field(
              'locationUrl',
              'wizard.field.locationUrl',
              <input
                {...inputProps('locationUrl')}
                type="url"
                inputMode="url"
                placeholder="https://maps.google.com/?q=…"
                value={form.locationUrl}
                onChange={(e) => set('locationUrl', e.target.value)}
              />,
            )}
            {field(
              'locationDetails',
              'wizard.field.locationDetails',
              <input
                {...inputProps('locationDetails')}
                value={form.locationDetails}
                onChange={(e) => set('locationDetails', e.target.value)}
              />,
            )}
            {field(
              'status',
              'wizard.field.status',
              <select
                {...inputProps('status')}
                value={form.status}
                onChange={(e) => set('status', e.target.value as WizardForm['status'])}
              >
                {eventStatuses.map((s) => (
                  <option key={s} value={s}>
                    {t(`event.status.${s}`)}
                  </option>
                ))}
              </select>,
            )}
            <div className="field field--check">
              <input
                {...inputProps('registrationEnabled')}
                type="checkbox"
                checked={form.registrationEnabled}
                onChange={(e) => set('registrationEnabled', e.target.checked)}
              />
              <label htmlFor={`${id}-registrationEnabled`}>{t('wizard.field.registrationEnabled')}</label>
            </div>
            {field(
              'description',
              'wizard.field.description',
              <textarea
                {...inputProps('description')}
                rows={4}
                value={form.description}
                onChange={(e) => set('description', e.target.value)}
              />,
            )}
          </>
        )}

        {step === 'files' && (
          <>
            <p className="form--span muted">{t('wizard.files.explain', { max: size(DEFAULT_UPLOAD_MAX_BYTES) })}</p>
            {eventFileSlots.map((slot) => {
              const state = slots[slot];
              const current = original?.[eventFileSlotField[slot]] ?? null;
              const inputId = `${id}-file-${slot}`;
              return (
                <fieldset key={slot} className="field wizard__file" data-testid={`file-${slot}`}>
                  <legend>{t(`wizard.file.${slot}`)}</legend>
                  <label htmlFor={inputId} className="visually-hidden">
                    {t(`wizard.file.${slot}`)}
                  </label>
                  <input
                    id={inputId}
                    type="file"
                    accept={acceptOf(slot)}
                    disabled={saving}
                    onChange={(e) => void choose(slot, e.target.files?.[0])}
                  />
                  <p className="field__hint">
                    {state.file
                      ? t('wizard.file.chosen', { name: state.file.name, size: size(state.file.size) })
                      : state.remove
                        ? t('wizard.file.removed')
                        : current
                          ? `${t('wizard.file.current')} : `
                          : t('wizard.file.none')}
                    {!state.file && !state.remove && current && (
                      <a href={current} target="_blank" rel="noopener">
                        {current.split('/').pop()}
                      </a>
                    )}
                  </p>
                  {current && !state.file && (
                    <button
                      type="button"
                      className="btn btn--small"
                      onClick={() => setSlots((s) => ({ ...s, [slot]: { ...s[slot], remove: !s[slot].remove } }))}
                    >
                      {state.remove ? t('wizard.file.undo') : t('wizard.file.remove')}
                    </button>
                  )}
                  {state.problem && (
                    <p className="field__error" role="alert">
                      {state.problem}
                    </p>
                  )}
                </fieldset>
              );
            })}
          </>
        )}

        {step === 'themes' && (
          <>
            {field(
              'themes',
              'wizard.themes.label',
              <textarea
                {...inputProps('themes')}
                rows={6}
                value={form.themes}
                onChange={(e) => set('themes', e.target.value)}
              />,
              t('wizard.themes.hint'),
            )}
            {field(
              'categories',
              'wizard.categories.label',
              <textarea
                {...inputProps('categories')}
                rows={6}
                value={form.categories}
                onChange={(e) => set('categories', e.target.value)}
              />,
              t('wizard.categories.hint'),
            )}
          </>
        )}

        {step === 'colour' && (
          <>
            {field(
              'primaryColor',
              'wizard.colour.label',
              <input
                {...inputProps('primaryColor')}
                type="color"
                value={form.primaryColor.toLowerCase()}
                onChange={(e) => set('primaryColor', e.target.value.toUpperCase())}
              />,
              t('wizard.colour.hint'),
            )}
            <div className="field">
              <p>{t('wizard.colour.preview')}</p>
              <div className="wizard__swatch" style={{ background: form.primaryColor }}>
                <span>{form.name || t('wizard.createTitle')}</span>
                <code>{form.primaryColor}</code>
              </div>
            </div>
          </>
        )}

        {step === 'advanced' && (
          <>
            {field(
              'settingsJson',
              'wizard.advanced.label',
              <textarea
                {...inputProps('settingsJson')}
                className="wizard__json"
                rows={12}
                spellCheck={false}
                value={form.settingsJson}
                onChange={(e) => set('settingsJson', e.target.value)}
              />,
              t('wizard.advanced.hint'),
            )}
            <pre className="wizard__example" aria-hidden="true">
              {SETTINGS_EXAMPLE}
            </pre>
          </>
        )}

        {saveError && (
          <p className="form-error form--span" role="alert">
            {saveError}
          </p>
        )}
        {saving && (
          <p className="form--span muted" role="status">
            {t('wizard.saving')}
          </p>
        )}
        {sending.length > 0 && (
          <ul className="form--span plain-list wizard__uploads" aria-label={t('wizard.step.files')}>
            {sending.map(([slot, state]) => (
              <li key={slot}>
                <label htmlFor={`${id}-progress-${slot}`} className="field__hint">
                  {state.done
                    ? `✓ ${t('wizard.file.sent')} : ${state.file.name}`
                    : t('wizard.file.progress', { name: state.file.name })}
                </label>
                <progress id={`${id}-progress-${slot}`} className="progress" max={state.file.size} value={state.sent} />
              </li>
            ))}
          </ul>
        )}
        <div className="form--span wizard__actions">
          <Link className="btn" to="/organizer/events">
            {t('wizard.cancel')}
          </Link>
          {index > 0 && (
            <button
              type="button"
              className="btn"
              disabled={saving}
              onClick={() => go(wizardSteps[index - 1] as WizardStep)}
            >
              {t('wizard.back')}
            </button>
          )}
          {!last && editingId && (
            <button type="button" className="btn" disabled={saving} onClick={() => void save()}>
              {t('wizard.save')}
            </button>
          )}
          <button type="submit" className="btn btn--primary" disabled={saving}>
            {last ? (editingId ? t('wizard.save') : t('wizard.create')) : t('wizard.next')}
          </button>
        </div>
      </form>
    </div>
  );
}
