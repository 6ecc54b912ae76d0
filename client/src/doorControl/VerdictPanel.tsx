import { initials, type ScanVerdict } from '@makeplus/shared';
import { useLayoutEffect, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';
import { verdictTone } from './doorDecision';
import type { DoorParticipant } from './doorIndex';
import { reasonTitle } from './doorText';

export type StoreState = 'saving' | 'saved' | 'failed';

export type DoorResult =
  | {
      kind: 'verdict';
      seq: number;
      verdict: ScanVerdict<DoorParticipant>;
      at: Date;
      stored: StoreState;
      error?: string;
    }
  | { kind: 'notReady'; seq: number };

/** A performance mark per decoded code; the verdict panel measures from it once the verdict is in the page. */
export const codeMark = (seq: number) => `door:code:${seq}`;

/**
 * The door's latest result, outside React state: setting it re-renders the verdict panel only, not
 * the whole door screen (statistics, recent scans, room bar), so the verdict reaches the page first.
 */
export class VerdictSlot {
  #result: DoorResult | null = null;
  readonly #listeners = new Set<() => void>();
  readonly get = (): DoorResult | null => this.#result;
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  set(next: DoorResult | null | ((current: DoorResult | null) => DoorResult | null)): void {
    const value = typeof next === 'function' ? next(this.#result) : next;
    if (value === this.#result) return;
    this.#result = value;
    for (const l of this.#listeners) l();
  }
}

function measureVerdict(seq: number) {
  const start = codeMark(seq);
  try {
    performance.measure('door:verdict', { start, detail: { seq } });
    // After the next frame: the verdict has been painted.
    requestAnimationFrame(() =>
      setTimeout(() => {
        try {
          performance.measure('door:verdict-painted', { start, detail: { seq } });
        } catch {}
        performance.clearMarks(start);
      }, 0),
    );
  } catch {
    // The mark was cleared (a newer scan replaced this one): nothing to measure.
  }
  // A long day at the door: keep the timeline bounded.
  if (seq % 100 === 0 && performance.getEntriesByName('door:verdict').length > 5000) {
    performance.clearMeasures('door:decided');
    performance.clearMeasures('door:verdict');
    performance.clearMeasures('door:verdict-painted');
  }
}

/** The verdict in large colour: green to let in, red to refuse, amber to look twice. */
export function VerdictPanel({ slot, loading }: { slot: VerdictSlot; loading: boolean }) {
  const { t, lang } = useI18n();
  const result = useSyncExternalStore(slot.subscribe, slot.get, slot.get);
  const seq = result?.seq ?? 0;
  useLayoutEffect(() => {
    if (seq > 0) measureVerdict(seq);
  }, [seq]);

  if (!result || result.kind === 'notReady') {
    return (
      <section className="verdict verdict--idle" aria-live="polite" data-testid="door-verdict" data-reason="">
        <p className="verdict__title">
          {result?.kind === 'notReady' || loading ? t('door.verdict.notReady') : t('door.verdict.idle')}
        </p>
        <p className="verdict__message">
          {result?.kind === 'notReady' || loading ? t('door.verdict.notReadyExplain') : t('door.verdict.idleExplain')}
        </p>
      </section>
    );
  }

  const v = result.verdict;
  const tone = verdictTone(v);
  const person = v.participant;
  const name = v.holderName || null;
  const letters = person
    ? initials(person)
    : name
      ? initials({ firstName: name, lastName: name.split(' ')[1] ?? '' })
      : '?';
  const other = lang === 'fr' ? 'en' : 'fr';
  return (
    <section
      className={`verdict verdict--${tone}`}
      aria-live="assertive"
      aria-atomic="true"
      data-testid="door-verdict"
      data-reason={v.reason}
      data-seq={result.seq}
    >
      <div className="verdict__head">
        <span className="verdict__initials" aria-hidden="true">
          {letters}
        </span>
        <div className="verdict__who">
          <p className="verdict__title">{t(reasonTitle[v.reason])}</p>
          <p className="verdict__name">{name ?? t('door.verdict.unknownHolder')}</p>
          {person && (person.organization || person.category) && (
            <p className="verdict__org">{[person.organization, person.category].filter(Boolean).join(' · ')}</p>
          )}
        </div>
      </div>
      <p className="verdict__message" lang={lang}>
        {v.message[lang]}
      </p>
      <p className="verdict__message verdict__message--other" lang={other}>
        {v.message[other]}
      </p>
      <p className="verdict__meta">
        <span>
          {v.direction === 'in' ? t('door.direction.in') : t('door.direction.out')} ·{' '}
          {result.at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
        </span>
        <span className={`verdict__stored verdict__stored--${result.stored}`} data-testid="door-stored">
          {result.stored === 'saving'
            ? t('door.stored.saving')
            : result.stored === 'saved'
              ? t('door.stored.saved')
              : t('door.stored.failed', { message: result.error ?? '' })}
        </span>
      </p>
    </section>
  );
}
