import {
  checkSlotFile,
  type EventCreateInput,
  type EventFileSlot,
  type EventRecord,
  type EventStatus,
  eventFields,
  eventFileSlotKinds,
  FILE_SNIFF_BYTES,
  type FileCheck,
} from '@makeplus/shared';
import { z } from 'zod';

/** The wizard's steps, in order. */
export const wizardSteps = ['basics', 'files', 'themes', 'colour', 'advanced'] as const;
export type WizardStep = (typeof wizardSteps)[number];

/** What the wizard's inputs hold (text as typed; converted on the way to the API). */
export interface WizardForm {
  name: string;
  /** `YYYY-MM-DDTHH:mm` in the browser's time zone (a datetime-local input). */
  startsAt: string;
  endsAt: string;
  venue: string;
  locationUrl: string;
  locationDetails: string;
  description: string;
  status: EventStatus;
  registrationEnabled: boolean;
  /** One per line. */
  themes: string;
  categories: string;
  primaryColor: string;
  /** The settings object as JSON text. */
  settingsJson: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as a datetime-local value in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** A datetime-local value (browser's time zone) as an ISO instant; '' when empty or invalid. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .filter((l, i, all) => all.indexOf(l) === i);

export function emptyForm(now = new Date()): WizardForm {
  const start = new Date(now);
  start.setDate(start.getDate() + 30);
  start.setHours(8, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  end.setHours(18, 0, 0, 0);
  return {
    name: '',
    startsAt: toLocalInput(start.toISOString()),
    endsAt: toLocalInput(end.toISOString()),
    venue: '',
    locationUrl: '',
    locationDetails: '',
    description: '',
    status: 'upcoming',
    registrationEnabled: true,
    themes: '',
    categories: '',
    primaryColor: '#9C27B0',
    settingsJson: '{}',
  };
}

export function formOf(event: EventRecord): WizardForm {
  const categories = (event.metadata as { categories?: unknown }).categories;
  return {
    name: event.name,
    startsAt: toLocalInput(event.startsAt),
    endsAt: toLocalInput(event.endsAt),
    venue: event.venue,
    locationUrl: event.locationUrl ?? '',
    locationDetails: event.locationDetails,
    description: event.description,
    status: event.status,
    registrationEnabled: event.registrationEnabled,
    themes: event.themes.join('\n'),
    categories: Array.isArray(categories) ? categories.filter((c) => typeof c === 'string').join('\n') : '',
    primaryColor: event.primaryColor,
    settingsJson: JSON.stringify(event.settings, null, 2),
  };
}

export type JsonCheck =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; reason: 'invalid'; message: string }
  | { ok: false; reason: 'notObject' };

/** The advanced settings as an object, or why they are not one. */
export function parseSettings(text: string): JsonCheck {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (err) {
    return { ok: false, reason: 'invalid', message: err instanceof Error ? err.message : String(err) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'notObject' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** The fields each step owns (a server error on a field sends the person back to its step). */
export const stepOfField: Record<string, WizardStep> = {
  name: 'basics',
  startsAt: 'basics',
  endsAt: 'basics',
  venue: 'basics',
  locationUrl: 'basics',
  locationDetails: 'basics',
  description: 'basics',
  status: 'basics',
  registrationEnabled: 'basics',
  themes: 'themes',
  metadata: 'themes',
  primaryColor: 'colour',
  settings: 'advanced',
};

export type FieldProblem =
  | 'required'
  | 'tooLong'
  | 'endsBeforeStart'
  | 'badUrl'
  | 'badColour'
  | 'badDate'
  | 'invalidJson'
  | 'notObject'
  | 'tooMany';
export type StepProblems = Record<string, { problem: FieldProblem; detail?: string }>;

const basics = z.object({
  name: eventFields.name,
  description: eventFields.description,
  venue: eventFields.venue,
  locationDetails: eventFields.locationDetails,
});

/** What is wrong in one step (empty: the step may be left). */
export function checkStep(step: WizardStep, form: WizardForm): StepProblems {
  const out: StepProblems = {};
  if (step === 'basics') {
    const parsed = basics.safeParse(form);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        out[field] ??= { problem: issue.code === 'too_big' ? 'tooLong' : 'required' };
      }
    }
    const starts = fromLocalInput(form.startsAt);
    const ends = fromLocalInput(form.endsAt);
    if (!starts) out.startsAt = { problem: 'badDate' };
    if (!ends) out.endsAt = { problem: 'badDate' };
    if (starts && ends && Date.parse(ends) <= Date.parse(starts)) out.endsAt = { problem: 'endsBeforeStart' };
    if (form.locationUrl.trim() && !z.url({ protocol: /^https?$/ }).safeParse(form.locationUrl.trim()).success) {
      out.locationUrl = { problem: 'badUrl' };
    }
  }
  if (step === 'themes') {
    if (lines(form.themes).some((l) => l.length > 100)) out.themes = { problem: 'tooLong' };
    if (lines(form.themes).length > 200) out.themes = { problem: 'tooMany' };
    if (lines(form.categories).some((l) => l.length > 100)) out.categories = { problem: 'tooLong' };
  }
  if (step === 'colour' && !/^#[0-9a-fA-F]{6}$/.test(form.primaryColor)) out.primaryColor = { problem: 'badColour' };
  if (step === 'advanced') {
    const settings = parseSettings(form.settingsJson);
    if (!settings.ok) {
      out.settingsJson =
        settings.reason === 'invalid' ? { problem: 'invalidJson', detail: settings.message } : { problem: 'notObject' };
    }
  }
  return out;
}

/** The event as the API takes it (every step checked first). */
export function toEventInput(form: WizardForm, previousMetadata: Record<string, unknown> = {}): EventCreateInput {
  const settings = parseSettings(form.settingsJson);
  return {
    name: form.name.trim(),
    description: form.description,
    startsAt: fromLocalInput(form.startsAt),
    endsAt: fromLocalInput(form.endsAt),
    venue: form.venue.trim(),
    locationUrl: form.locationUrl.trim() || null,
    locationDetails: form.locationDetails,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Africa/Algiers',
    status: form.status,
    registrationEnabled: form.registrationEnabled,
    themes: lines(form.themes),
    primaryColor: form.primaryColor,
    settings: settings.ok ? settings.value : {},
    metadata: { ...previousMetadata, categories: lines(form.categories) },
    // Files are sent separately (uploads); the currency stays the event's.
    logoUrl: null,
    bannerUrl: null,
    programmeUrl: null,
    guideUrl: null,
    currency: 'DZD',
  };
}

/** Check a chosen file before sending it: size and kind (by its first bytes), as the server will. */
export async function checkChosenFile(slot: EventFileSlot, file: File, maxBytes: number): Promise<FileCheck> {
  const head = new Uint8Array(await file.slice(0, FILE_SNIFF_BYTES).arrayBuffer());
  return checkSlotFile(slot, head, file.size, maxBytes);
}

export const acceptOf = (slot: EventFileSlot) =>
  eventFileSlotKinds[slot].map((k) => (k === 'pdf' ? 'application/pdf,.pdf' : `image/${k}`)).join(',');
