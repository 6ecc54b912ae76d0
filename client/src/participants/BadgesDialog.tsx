import { type ParticipantRecord, participantDisplayName } from '@makeplus/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import { type BadgePdfFormat, badgePageCount, badgePdfFormats } from '../badges/badgePdf';
import { useI18n } from '../i18n/i18n';
import { downloadBlob, fileSlug } from '../organizer/download';
import { Dialog } from '../shell/Dialog';
import type { BadgeWorkerReply, BadgeWorkerRequest } from './badgeWorker';

/** Print the badges of the chosen people as one PDF (several per A4 page by default), drawn in a worker. */
export function BadgesDialog({ people, onClose }: { people: readonly ParticipantRecord[]; onClose: () => void }) {
  const { t, tn } = useI18n();
  const session = useSession();
  const id = useId();
  const [format, setFormat] = useState<BadgePdfFormat>('a4_sheet');
  const [state, setState] = useState<'idle' | 'busy' | 'done' | { failed: string }>('idle');
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const eventName = session?.event?.name ?? '';
  const make = () => {
    setState('busy');
    const w = new Worker(new URL('./badgeWorker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<BadgeWorkerReply>) => {
      w.terminate();
      if (e.data.type === 'failed') {
        setState({ failed: e.data.message });
        return;
      }
      downloadBlob(new Blob([e.data.pdf], { type: 'application/pdf' }), `badges-${fileSlug(eventName)}.pdf`);
      setState('done');
    };
    const request: BadgeWorkerRequest = {
      badges: people.map((p) => ({
        name: participantDisplayName(p),
        organization: p.organization,
        eventName,
        role: 'participant',
        ...(p.category ? { roleLabel: p.category } : {}),
        code: p.badgeCode,
      })),
      options: { format, ...(session?.event?.primaryColor ? { accentColor: session.event.primaryColor } : {}) },
    };
    w.postMessage(request);
  };

  return (
    <Dialog
      title={t('badges.title')}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
          <button type="button" className="btn btn--primary" disabled={state === 'busy'} onClick={make}>
            {state === 'busy' ? t('badges.making') : t('badges.make')}
          </button>
        </>
      }
    >
      <p>{tn('badges.people', people.length)}</p>
      <fieldset className="field">
        <legend>{t('badges.format')}</legend>
        {badgePdfFormats.map((f) => (
          <label key={f} className="field--check">
            <input type="radio" name={`${id}-format`} value={f} checked={format === f} onChange={() => setFormat(f)} />{' '}
            {t(`badges.format.${f}`)} — {tn('badges.pages', badgePageCount(people.length, f))}
          </label>
        ))}
      </fieldset>
      {state === 'done' && <p role="status">{t('badges.done')}</p>}
      {typeof state === 'object' && (
        <p className="form-error" role="alert">
          {t('badges.failed', { message: state.failed })}
        </p>
      )}
    </Dialog>
  );
}
