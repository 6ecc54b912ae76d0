import { type ParticipantRecord, participantDisplayName, participantSources } from '@makeplus/shared';
import { useCallback, useId, useMemo, useState } from 'react';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { csvToWorkbook } from '../exports/exportFiles';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { downloadBlob, fileSlug } from '../organizer/download';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import '../organizer/organizer.css';
import { BadgesDialog } from './BadgesDialog';
import { ImportDialog } from './ImportDialog';
import { NewParticipantDialog } from './NewParticipantDialog';
import { ParticipantDetails } from './ParticipantDetails';
import { participantScreenColumns, participantsCsv } from './participantsExport';

type Access = '' | 'all' | 'restricted';

/**
 * Organizer › Participants: the event's registrations from this device's database (readable
 * offline), full-text search, filters, sorting, pages; details, import, badge printing.
 */
export function ParticipantsPage() {
  const i18n = useI18n();
  const { t, tn, number } = i18n;
  const session = useSession();
  const eventId = session?.event?.id ?? '';
  const searchId = useId();
  const { records: rooms } = useLocalRecords('rooms');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [source, setSource] = useState('');
  const [access, setAccess] = useState<Access>('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<
    | { kind: 'import' }
    | { kind: 'new' }
    | { kind: 'badges'; people: ParticipantRecord[] }
    | { kind: 'details'; id: string }
    | null
  >(null);
  // While an import sends, the list behind it stands still: it would otherwise re-read every
  // participant while thousands of new ones arrive by sync (one refresh when the dialog closes).
  const { records } = useLocalRecords('participants', {}, { hold: dialog?.kind === 'import' });
  const [sortedRows, setSortedRows] = useState<ParticipantRecord[]>([]);
  const onSorted = useCallback((rows: ParticipantRecord[]) => setSortedRows(rows), []);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const categories = useMemo(
    () => [...new Set((records ?? []).map((p) => p.category).filter(Boolean))].sort((a, b) => a.localeCompare(b)),
    [records],
  );
  const filtered = useMemo(
    () =>
      (records ?? []).filter(
        (p) =>
          (!category || p.category === category) &&
          (!source || p.source === source) &&
          (!access || (access === 'all' ? p.allowedRoomIds === null : p.allowedRoomIds !== null)) &&
          matchesQuery(q, p.firstName, p.lastName, p.email, p.organization, p.phone, p.category),
      ),
    [records, q, category, source, access],
  );
  const roomName = useMemo(() => new Map((rooms ?? []).map((r) => [r.id, r.name])), [rooms]);

  const columns = useMemo<Column<ParticipantRecord>[]>(
    () => [
      {
        key: 'name',
        label: t('participants.field.name'),
        rowHeader: true,
        sortValue: (p) => `${p.lastName} ${p.firstName}`,
        render: (p) => (
          <button type="button" className="link-btn" onClick={() => setDialog({ kind: 'details', id: p.id })}>
            {participantDisplayName(p)}
          </button>
        ),
      },
      { key: 'email', label: t('participants.field.email'), sortValue: (p) => p.email, render: (p) => p.email || '—' },
      {
        key: 'organization',
        label: t('participants.field.organization'),
        sortValue: (p) => p.organization,
        render: (p) => p.organization || '—',
      },
      {
        key: 'category',
        label: t('participants.field.category'),
        sortValue: (p) => p.category,
        render: (p) => p.category || '—',
      },
      {
        key: 'source',
        label: t('participants.field.source'),
        sortValue: (p) => p.source,
        render: (p) => t(`participants.source.${p.source}`),
      },
      {
        key: 'rooms',
        label: t('participants.field.rooms'),
        sortValue: (p) => (p.allowedRoomIds === null ? -1 : p.allowedRoomIds.length),
        render: (p) =>
          p.allowedRoomIds === null
            ? t('participants.allRooms')
            : p.allowedRoomIds.map((id) => roomName.get(id) ?? '?').join(', ') || t('participants.noRoom'),
      },
      {
        key: 'createdAt',
        label: t('participants.field.createdAt'),
        sortValue: (p) => p.createdAt,
        render: (p) => i18n.date(p.createdAt),
      },
    ],
    [t, i18n, roomName],
  );

  const resetKey = `${q}|${category}|${source}|${access}`;

  /** Export the rows on screen, in their order: the search, filters and sort as set. */
  const exportShown = async (format: 'csv' | 'xlsx') => {
    const rows = sortedRows;
    setExportError(null);
    setExporting(t('participants.exporting', { count: number(rows.length) }));
    try {
      const csv = participantsCsv(rows, roomName);
      const name = `participants-${fileSlug(session?.event?.name ?? 'event')}`;
      if (format === 'csv') downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
      else
        downloadBlob(
          await csvToWorkbook(participantScreenColumns, csv, () => {}, t('participants.title')),
          `${name}.xlsx`,
        );
    } catch (err) {
      setExportError(describeError(err, i18n));
    } finally {
      setExporting(null);
    }
  };
  const selectedPeople = (records ?? []).filter((p) => selected.has(p.id));

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('participants.title')}</h1>
          <p className="muted" aria-live="polite">
            {records
              ? filtered.length === records.length
                ? tn('participants.count', records.length)
                : t('participants.countFiltered', { shown: number(filtered.length), total: number(records.length) })
              : t('common.loading')}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'import' })}>
            {t('participants.import')}
          </button>
          <button
            type="button"
            className="btn"
            disabled={filtered.length === 0}
            onClick={() => setDialog({ kind: 'badges', people: selectedPeople.length ? selectedPeople : sortedRows })}
          >
            {selectedPeople.length
              ? t('participants.printSelected', { count: selectedPeople.length })
              : t('participants.printShown', { count: filtered.length })}
          </button>
          <button
            type="button"
            className="btn"
            disabled={filtered.length === 0 || exporting !== null}
            onClick={() => void exportShown('csv')}
          >
            {t('participants.exportCsv', { count: filtered.length })}
          </button>
          <button
            type="button"
            className="btn"
            disabled={filtered.length === 0 || exporting !== null}
            onClick={() => void exportShown('xlsx')}
          >
            {t('participants.exportXlsx', { count: filtered.length })}
          </button>
          <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'new' })}>
            <span aria-hidden="true">+</span> {t('participants.new')}
          </button>
        </div>
      </div>

      {exporting && (
        <p className="notice" role="status">
          {exporting}
        </p>
      )}
      {exportError && (
        <p className="form-error" role="alert">
          {exportError}
        </p>
      )}

      <div className="toolbar toolbar--wrap">
        <label htmlFor={searchId} className="visually-hidden">
          {t('participants.search')}
        </label>
        <input
          id={searchId}
          type="search"
          className="search-input"
          placeholder={t('participants.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <select
          aria-label={t('participants.field.category')}
          value={category}
          onChange={(e) => setCategory(e.target.value)}
        >
          <option value="">{t('participants.anyCategory')}</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label={t('participants.field.source')} value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">{t('participants.anySource')}</option>
          {participantSources.map((s) => (
            <option key={s} value={s}>
              {t(`participants.source.${s}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('participants.field.rooms')}
          value={access}
          onChange={(e) => setAccess(e.target.value as Access)}
        >
          <option value="">{t('participants.anyAccess')}</option>
          <option value="all">{t('participants.allRooms')}</option>
          <option value="restricted">{t('participants.restricted')}</option>
        </select>
      </div>

      {records === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <DataTable
          caption={t('participants.title')}
          rows={filtered}
          columns={columns}
          rowKey={(p) => p.id}
          initialSort={{ key: 'name', dir: 'asc' }}
          selected={selected}
          onSelectedChange={setSelected}
          resetKey={resetKey}
          onSorted={onSorted}
          empty={<p>{records.length ? t('participants.noMatch') : t('participants.empty')}</p>}
        />
      )}

      {dialog?.kind === 'import' && <ImportDialog eventId={eventId} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'new' && (
        <NewParticipantDialog
          eventId={eventId}
          onClose={() => setDialog(null)}
          onCreated={(p) => setDialog({ kind: 'details', id: p.id })}
        />
      )}
      {dialog?.kind === 'badges' && <BadgesDialog people={dialog.people} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'details' && (
        <ParticipantDetails eventId={eventId} participantId={dialog.id} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
