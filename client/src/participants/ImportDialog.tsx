import Papa from 'papaparse';
import { useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { downloadBlob } from '../organizer/download';
import { Dialog } from '../shell/Dialog';
import {
  batches,
  type ColumnMapping,
  guessMapping,
  type ImportCheck,
  type ImportField,
  importFields,
  mappingProblem,
  mapRow,
  type RowError,
} from './importRows';
import type { ImportWorkerMessage, ImportWorkerRequest } from './importWorker';
import { IMPORT_BATCH_SIZE, importBatch } from './participantsApi';

type Step =
  | { step: 'choose' }
  | { step: 'map'; file: File; headers: string[]; sample: string[][] }
  | { step: 'checking'; file: File; read: number; size: number; rows: number }
  | { step: 'report'; file: File; check: ImportCheck }
  | { step: 'sending'; check: ImportCheck; sent: number; created: number; merged: number }
  | {
      step: 'stopped';
      check: ImportCheck;
      sent: number;
      created: number;
      merged: number;
      error: unknown;
      serverErrors: RowError[];
    }
  | { step: 'done'; created: number; merged: number; refused: number };

const SHOWN_ERRORS = 200;

/**
 * Import participants from a CSV file: choose, map the columns (guessed from the header), preview,
 * check every row in a worker (progress bar), read the report, then send the good rows in batches.
 * Bad rows are listed (row, field, value, reason) and can be downloaded; they are never sent.
 */
export function ImportDialog({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t, number, tn } = i18n;
  const fileId = useId();
  const [state, setState] = useState<Step>({ step: 'choose' });
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const cancelled = useRef(false);

  useEffect(
    () => () => {
      cancelled.current = true;
      workerRef.current?.terminate();
    },
    [],
  );

  const choose = (file: File | undefined) => {
    if (!file) return;
    setReadError(null);
    Papa.parse<string[]>(file, {
      preview: 6,
      skipEmptyLines: true,
      complete(results) {
        const [headers, ...sample] = results.data;
        if (!headers || headers.length === 0) {
          setReadError(t('import.emptyFile'));
          return;
        }
        setMapping(guessMapping(headers));
        setState({ step: 'map', file, headers, sample });
      },
      error(err) {
        setReadError(err.message);
      },
    });
  };

  const check = (file: File, m: ColumnMapping) => {
    setState({ step: 'checking', file, read: 0, size: file.size, rows: 0 });
    const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (e: MessageEvent<ImportWorkerMessage>) => {
      const msg = e.data;
      if (msg.type === 'progress') setState({ step: 'checking', file, read: msg.read, size: msg.size, rows: msg.rows });
      else if (msg.type === 'done') {
        setState({ step: 'report', file, check: msg.check });
        worker.terminate();
      } else {
        setReadError(msg.message);
        setState({ step: 'choose' });
        worker.terminate();
      }
    };
    worker.postMessage({ file, mapping: m } satisfies ImportWorkerRequest);
  };

  const send = async (checked: ImportCheck, from = 0, created = 0, merged = 0) => {
    const parts = batches(checked.rows, IMPORT_BATCH_SIZE);
    let sent = from;
    setState({ step: 'sending', check: checked, sent, created, merged });
    for (const part of parts.slice(from / IMPORT_BATCH_SIZE)) {
      if (cancelled.current) return;
      try {
        const r = await importBatch(eventId, part);
        created += r.created;
        merged += r.merged;
        sent += part.length;
        setState({ step: 'sending', check: checked, sent, created, merged });
      } catch (error) {
        const serverErrors: RowError[] =
          error instanceof ApiError
            ? error.fields.map((f) => {
                const [, row, field = ''] = f.field.split('.');
                return { row: Number(row), field, reason: f.reason, value: '' };
              })
            : [];
        setState({ step: 'stopped', check: checked, sent, created, merged, error, serverErrors });
        return;
      }
    }
    setState({ step: 'done', created, merged, refused: checked.errors.length });
  };

  const fieldLabel = (f: string) =>
    (importFields as readonly string[]).includes(f) ? t(`participants.field.${f as ImportField}`) : f;

  const downloadErrors = (errors: readonly RowError[]) => {
    const csv = Papa.unparse({
      fields: [t('import.col.row'), t('import.col.field'), t('import.col.value'), t('import.col.reason')],
      data: errors.map((e) => [e.row + 1, fieldLabel(e.field), e.value, e.reason]),
    });
    downloadBlob(new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }), 'import-erreurs.csv');
  };

  const busy = state.step === 'checking' || state.step === 'sending';
  const close = () => {
    if (busy) cancelled.current = true;
    onClose();
  };

  return (
    <Dialog title={t('import.title')} onClose={close} size="wide" actions={footer()}>
      {state.step === 'choose' && (
        <div className="form">
          <p>{t('import.explain')}</p>
          <div className="field">
            <label htmlFor={fileId}>{t('import.file')}</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv,text/plain"
              onChange={(e) => choose(e.target.files?.[0])}
            />
            <span className="field__hint">{t('import.fileHint')}</span>
          </div>
          {readError && (
            <p className="form-error" role="alert">
              {t('import.readFailed', { message: readError })}
            </p>
          )}
        </div>
      )}

      {state.step === 'map' && mapping && (
        <div className="form">
          <p>{t('import.mapExplain', { file: state.file.name })}</p>
          <div className="form form--grid">
            {importFields.map((f) => (
              <div className="field" key={f}>
                <label htmlFor={`${fileId}-${f}`}>
                  {fieldLabel(f)}
                  {f === 'firstName' && <span className="required"> *</span>}
                </label>
                <select
                  id={`${fileId}-${f}`}
                  value={mapping[f] ?? ''}
                  onChange={(e) =>
                    setMapping({ ...mapping, [f]: e.target.value === '' ? null : Number(e.target.value) })
                  }
                >
                  <option value="">{t('import.notImported')}</option>
                  {state.headers.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                    <option key={i} value={i}>
                      {h || t('import.columnN', { n: i + 1 })}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          {mappingProblem(mapping) && (
            <p className="form-error" role="alert">
              {t('import.firstNameNeeded')}
            </p>
          )}
          <h3>{t('import.preview')}</h3>
          <div className="table-wrap">
            <table className="data-table">
              <caption className="visually-hidden">{t('import.preview')}</caption>
              <thead>
                <tr>
                  {importFields.map((f) => (
                    <th key={f} scope="col">
                      {fieldLabel(f)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {state.sample.map((cells, i) => {
                  const v = mapRow(cells, mapping);
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: preview rows are positional
                    <tr key={i}>
                      {importFields.map((f) => (
                        <td key={f}>{v[f] || '—'}</td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}

      {state.step === 'checking' && (
        <div className="form" aria-live="polite">
          <p>{t('import.checking', { rows: number(state.rows) })}</p>
          <progress
            className="progress"
            max={state.size || 1}
            value={state.read}
            aria-label={t('import.checkProgress')}
          />
        </div>
      )}

      {state.step === 'report' && <Report check={state.check} fieldLabel={fieldLabel} onDownload={downloadErrors} />}

      {(state.step === 'sending' || state.step === 'stopped') && (
        <div className="form" aria-live="polite">
          <p>{t('import.sending', { sent: number(state.sent), total: number(state.check.rows.length) })}</p>
          <progress
            className="progress"
            max={state.check.rows.length || 1}
            value={state.sent}
            aria-label={t('import.sendProgress')}
          />
          {state.step === 'stopped' && (
            <div className="inline-error" role="alert">
              <p>
                {t('import.stopped', { sent: number(state.sent) })} {describeError(state.error, i18n)}
              </p>
              {state.serverErrors.length > 0 && <ErrorTable errors={state.serverErrors} fieldLabel={fieldLabel} />}
            </div>
          )}
        </div>
      )}

      {state.step === 'done' && (
        <div className="form" role="status">
          <p className="lead">{tn('import.doneCreated', state.created)}</p>
          {state.merged > 0 && <p>{tn('import.doneMerged', state.merged)}</p>}
          {state.refused > 0 && <p>{tn('import.doneRefused', state.refused)}</p>}
          <p className="muted">{t('import.doneSync')}</p>
        </div>
      )}
    </Dialog>
  );

  function footer() {
    if (state.step === 'map' && mapping)
      return (
        <>
          <button type="button" className="btn" onClick={() => setState({ step: 'choose' })}>
            {t('import.otherFile')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={!!mappingProblem(mapping)}
            onClick={() => check(state.file, mapping)}
          >
            {t('import.check')}
          </button>
        </>
      );
    if (state.step === 'report')
      return (
        <>
          <button type="button" className="btn" onClick={() => setState({ step: 'choose' })}>
            {t('import.otherFile')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={state.check.rows.length === 0}
            onClick={() => void send(state.check)}
          >
            {tn('import.send', state.check.rows.length)}
          </button>
        </>
      );
    if (state.step === 'stopped')
      return (
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void send(state.check, state.sent, state.created, state.merged)}
        >
          {t('import.resume')}
        </button>
      );
    if (state.step === 'done')
      return (
        <button type="button" className="btn btn--primary" onClick={onClose}>
          {t('common.close')}
        </button>
      );
    return null;
  }
}

function Report({
  check,
  fieldLabel,
  onDownload,
}: {
  check: ImportCheck;
  fieldLabel: (f: string) => string;
  onDownload: (errors: readonly RowError[]) => void;
}) {
  const { t, tn } = useI18n();
  const badRows = new Set(check.errors.map((e) => e.row)).size;
  return (
    <div className="form">
      <ul className="import-summary">
        <li>{tn('import.readRows', check.total)}</li>
        <li>
          <strong>{tn('import.validRows', check.rows.length)}</strong>
        </li>
        {check.duplicatesMerged > 0 && <li>{tn('import.duplicates', check.duplicatesMerged)}</li>}
        <li className={badRows ? 'text-danger' : undefined}>{tn('import.badRows', badRows)}</li>
      </ul>
      {check.errors.length > 0 && (
        <>
          <p>{t('import.badRowsExplain')}</p>
          <ErrorTable errors={check.errors.slice(0, SHOWN_ERRORS)} fieldLabel={fieldLabel} />
          {check.errors.length > SHOWN_ERRORS && (
            <p className="muted">{t('import.moreErrors', { shown: SHOWN_ERRORS, total: check.errors.length })}</p>
          )}
          <button type="button" className="btn btn--small" onClick={() => onDownload(check.errors)}>
            {t('import.downloadErrors')}
          </button>
        </>
      )}
    </div>
  );
}

function ErrorTable({ errors, fieldLabel }: { errors: readonly RowError[]; fieldLabel: (f: string) => string }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap import-errors">
      <table className="data-table">
        <caption className="visually-hidden">{t('import.errorsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('import.col.row')}
            </th>
            <th scope="col">{t('import.col.field')}</th>
            <th scope="col">{t('import.col.value')}</th>
            <th scope="col">{t('import.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr key={`${e.row}-${e.field}`}>
              {/* +1: the person counts the header as line 1 of the file. */}
              <td className="num">{e.row + 1}</td>
              <td>{fieldLabel(e.field)}</td>
              <td>{e.value || '—'}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
