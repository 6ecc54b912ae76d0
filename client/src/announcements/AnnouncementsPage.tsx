import { type AnnouncementRecord, type Audience, announcementCreateInput, audiences } from '@makeplus/shared';
import { useMemo, useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import { Notice, SearchField } from '../organizer/PageParts';
import { type FieldErrors, FormField, SubmitDialog } from '../organizer/SubmitDialog';
import '../organizer/organizer.css';
import { ConfirmDeleteDialog } from '../shell/ConfirmDeleteDialog';
import { useDeviceStore } from '../sync/DeviceSync';
import { createRecord, editRecord, removeRecord } from '../sync/localWrites';

/**
 * Organizer › Announcements: written on this device (offline too) and delivered by sync to the
 * devices of the chosen audience (the server sends each role only its audiences).
 */
export function AnnouncementsPage() {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const store = useDeviceStore();
  const session = useSession();
  const { records, docOf } = useLocalRecords('announcements');
  const [q, setQ] = useState('');
  const [audience, setAudience] = useState<Audience | ''>('');
  const [editing, setEditing] = useState<{ announcement?: AnnouncementRecord } | null>(null);
  const [deleting, setDeleting] = useState<AnnouncementRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const filtered = useMemo(
    () =>
      (records ?? []).filter(
        (a) => (!audience || a.audience === audience) && matchesQuery(q, a.title, a.body, a.createdByName),
      ),
    [records, q, audience],
  );

  const columns = useMemo<Column<AnnouncementRecord>[]>(
    () => [
      {
        key: 'title',
        label: t('announcements.field.title'),
        rowHeader: true,
        sortValue: (a) => a.title,
        render: (a) => (
          <>
            {a.title}
            <span className="cell-sub">{a.body.length > 140 ? `${a.body.slice(0, 140)}…` : a.body}</span>
          </>
        ),
      },
      {
        key: 'audience',
        label: t('announcements.field.audience'),
        sortValue: (a) => t(`announcements.audience.${a.audience}`),
        render: (a) => t(`announcements.audience.${a.audience}`),
      },
      {
        key: 'author',
        label: t('announcements.field.author'),
        sortValue: (a) => a.createdByName,
        render: (a) => a.createdByName || '—',
      },
      {
        key: 'createdAt',
        label: t('announcements.field.createdAt'),
        sortValue: (a) => a.createdAt,
        render: (a) => i18n.dateTime(a.createdAt),
      },
      {
        key: 'sync',
        label: t('announcements.field.sync'),
        sortValue: (a) => a.seq === 0,
        render: (a) =>
          a.seq === 0 ? (
            <span className="pill pill--upcoming">{t('announcements.pending')}</span>
          ) : (
            <span className="pill pill--active">{t('announcements.sent')}</span>
          ),
      },
    ],
    [t, i18n],
  );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('announcements.title')}</h1>
          <p className="muted" aria-live="polite">
            {records ? tn('announcements.count', records.length) : t('common.loading')}
          </p>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => setEditing({})} disabled={!store}>
          <span aria-hidden="true">+</span> {t('announcements.new')}
        </button>
      </div>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <div className="toolbar toolbar--wrap">
        <SearchField label={t('announcements.search')} value={q} onChange={setQ} />
        <select
          aria-label={t('announcements.field.audience')}
          value={audience}
          onChange={(e) => setAudience(e.target.value as Audience | '')}
        >
          <option value="">{t('announcements.anyAudience')}</option>
          {audiences.map((a) => (
            <option key={a} value={a}>
              {t(`announcements.audience.${a}`)}
            </option>
          ))}
        </select>
      </div>
      {records === undefined ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <DataTable
          caption={t('announcements.title')}
          rows={filtered}
          columns={columns}
          rowKey={(a) => a.id}
          initialSort={{ key: 'createdAt', dir: 'desc' }}
          resetKey={`${q}|${audience}`}
          empty={<p>{records.length ? t('announcements.noMatch') : t('announcements.empty')}</p>}
          actions={(a) => (
            <>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => setEditing({ announcement: a })}
                aria-label={t('announcements.editNamed', { title: a.title })}
              >
                {t('common.edit')}
              </button>
              <button
                type="button"
                className="btn btn--small btn--danger-outline"
                onClick={() => setDeleting(a)}
                aria-label={t('announcements.deleteNamed', { title: a.title })}
              >
                {t('common.delete')}
              </button>
            </>
          )}
        />
      )}

      {editing && store && (
        <AnnouncementDialog
          {...(editing.announcement ? { announcement: editing.announcement } : {})}
          onClose={() => setEditing(null)}
          onSave={async (fields) => {
            const current = editing.announcement;
            const doc = current && docOf(current.id);
            if (current && doc) await editRecord(store, 'announcements', doc, fields);
            else
              await createRecord(store, 'announcements', {
                ...fields,
                createdBy: session?.user?.id ?? null,
                createdByName: session?.user
                  ? `${session.user.firstName} ${session.user.lastName}`.trim() || session.user.email
                  : '',
                legacyId: 0,
              });
            setEditing(null);
            setNotice(t(current ? 'announcements.saved' : 'announcements.created', { title: fields.title }));
          }}
        />
      )}
      {deleting && (
        <ConfirmDeleteDialog
          title={t('announcements.deleteTitle', { title: deleting.title })}
          explain={t('announcements.deleteExplain')}
          confirmLabel={t('common.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const doc = docOf(deleting.id);
            if (doc) await removeRecord(doc);
            setNotice(t('announcements.deleted', { title: deleting.title }));
            setDeleting(null);
          }}
        />
      )}
    </div>
  );
}

type Fields = Pick<AnnouncementRecord, 'title' | 'body' | 'audience'>;

function AnnouncementDialog({
  announcement,
  onClose,
  onSave,
}: {
  announcement?: AnnouncementRecord;
  onClose: () => void;
  onSave: (fields: Fields) => Promise<void>;
}) {
  const { t } = useI18n();
  const [title, setTitle] = useState(announcement?.title ?? '');
  const [body, setBody] = useState(announcement?.body ?? '');
  const [audience, setAudience] = useState<Audience>(announcement?.audience ?? 'all');
  return (
    <SubmitDialog
      title={announcement ? t('announcements.editTitle') : t('announcements.createTitle')}
      submitLabel={announcement ? t('common.save') : t('announcements.publish')}
      onClose={onClose}
      size="wide"
      check={() => {
        // The device checks what the server would (the same schema): a bad field never leaves it.
        const parsed = announcementCreateInput.safeParse({ title, body, audience });
        const errors: FieldErrors = {};
        if (!parsed.success)
          for (const issue of parsed.error.issues) {
            const field = String(issue.path[0]);
            errors[field] ??= issue.code === 'too_small' ? t('field.required') : issue.message;
          }
        return errors;
      }}
      onSubmit={() => onSave({ title: title.trim(), body: body.trim(), audience })}
    >
      {(errors, ids) => (
        <>
          <FormField ids={ids('title')} label={t('announcements.field.title')} error={errors.title} required wide>
            <input {...ids('title')} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </FormField>
          <FormField ids={ids('audience')} label={t('announcements.field.audience')} error={errors.audience} wide>
            <select {...ids('audience')} value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
              {audiences.map((a) => (
                <option key={a} value={a}>
                  {t(`announcements.audience.${a}`)}
                </option>
              ))}
            </select>
          </FormField>
          <FormField
            ids={ids('body')}
            label={t('announcements.field.body')}
            error={errors.body}
            hint={t('announcements.bodyHint')}
            required
            wide
          >
            <textarea {...ids('body')} rows={6} value={body} onChange={(e) => setBody(e.target.value)} />
          </FormField>
        </>
      )}
    </SubmitDialog>
  );
}
