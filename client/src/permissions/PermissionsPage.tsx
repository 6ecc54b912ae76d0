import type { EventRole, Permission } from '@makeplus/shared';
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api/describeError';
import { apiJson, useSession } from '../auth/session';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { eventResourcePath } from '../organizer/eventApi';
import './permissions.css';

interface RolePermissions {
  role: EventRole;
  adjustable: boolean;
  defaults: Permission[];
  grantable: Permission[];
  effective: Permission[];
  adjusted: boolean;
}
interface Matrix {
  permissions: Permission[];
  organizerOnly: Permission[];
  roles: RolePermissions[];
}

type Status = { kind: 'saved' | 'failed'; text: string } | null;

/**
 * The event's roles × permissions grid (organizers). Each box is one permission of one role: ticking
 * or unticking saves that role's list at once; boxes outside the role's safe bounds are disabled,
 * and a permission that differs from the role's default is marked. The server re-checks every bound.
 */
export function PermissionsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const eventId = useSession()?.event?.id;
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState<EventRole | null>(null);
  const [status, setStatus] = useState<Status>(null);

  const load = useCallback(async () => {
    if (!eventId) return;
    try {
      setMatrix(await apiJson<Matrix>(eventResourcePath(eventId, 'permissions')));
      setLoadError(null);
    } catch (err) {
      setLoadError(describeError(err, i18n));
    }
  }, [eventId, i18n]);
  useEffect(() => {
    void load();
  }, [load]);

  async function save(role: RolePermissions, next: Permission[]) {
    if (!eventId) return;
    const roleName = t(`role.${role.role}` as PlainMessageKey);
    setSaving(role.role);
    setStatus(null);
    try {
      const updated = await apiJson<Matrix>(eventResourcePath(eventId, `permissions/${role.role}`), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ permissions: next }),
      });
      setMatrix(updated);
      setStatus({ kind: 'saved', text: t('perm.saved', { role: roleName }) });
    } catch (err) {
      setStatus({ kind: 'failed', text: t('perm.failed', { role: roleName, reason: describeError(err, i18n) }) });
      void load();
    } finally {
      setSaving(null);
    }
  }

  function toggle(role: RolePermissions, p: Permission, on: boolean) {
    const next = on ? [...role.effective, p] : role.effective.filter((x) => x !== p);
    // Shown at once; the server's answer replaces it (or a refusal puts the saved state back).
    setMatrix((m) => m && { ...m, roles: m.roles.map((r) => (r.role === role.role ? { ...r, effective: next } : r)) });
    void save(role, next);
  }

  const roleColumns: Column<Permission>[] = (matrix?.roles ?? []).map((role) => {
    const roleName = t(`role.${role.role}` as PlainMessageKey);
    return {
      key: role.role,
      label: role.adjusted ? `${roleName} (${t('perm.adjusted')})` : roleName,
      render: (p: Permission) => {
        const held = role.effective.includes(p);
        const inBounds = role.grantable.includes(p);
        const changed = held !== role.defaults.includes(p);
        const why = !inBounds
          ? t(matrix?.organizerOnly.includes(p) ? 'perm.organizerOnly' : 'perm.outOfBounds')
          : changed
            ? t('perm.adjusted')
            : t('perm.default');
        return (
          <label className={`perm-cell${changed ? ' perm-cell--changed' : ''}`} title={why}>
            <input
              type="checkbox"
              checked={held}
              disabled={!role.adjustable || !inBounds || saving !== null}
              aria-label={`${roleName} — ${t(`perm.${p}` as PlainMessageKey)}`}
              onChange={(e) => toggle(role, p, e.currentTarget.checked)}
            />
            {changed && <span className="perm-mark">{t('perm.adjusted')}</span>}
          </label>
        );
      },
    };
  });
  const columns: Column<Permission>[] = [
    {
      key: 'permission',
      label: t('perm.permission'),
      rowHeader: true,
      render: (p) => (
        <>
          {t(`perm.${p}` as PlainMessageKey)}
          <br />
          <code className="muted">{p}</code>
        </>
      ),
    },
    ...roleColumns,
  ];

  return (
    <div className="page">
      <h1 className="page-title">{t('console.permissions')}</h1>
      <p className="lead">{t('perm.intro')}</p>
      {loadError && (
        <p className="text-danger" role="alert">
          {t('perm.loadFailed', { reason: loadError })}{' '}
          <button type="button" className="btn btn--small" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {status && (
        <p className={status.kind === 'failed' ? 'text-danger' : 'text-success'} role="status">
          {status.text}
        </p>
      )}
      {!matrix && !loadError && <progress aria-label={t('common.loading')} />}
      {matrix && (
        <section className="card">
          <DataTable caption={t('perm.caption')} rows={matrix.permissions} columns={columns} rowKey={(p) => p} />
          <div className="btn-row">
            {matrix.roles
              .filter((r) => r.adjustable && r.adjusted)
              .map((r) => (
                <button
                  key={r.role}
                  type="button"
                  className="btn btn--small"
                  disabled={saving !== null}
                  onClick={() => void save(r, r.defaults)}
                >
                  {t('perm.reset')} — {t(`role.${r.role}` as PlainMessageKey)}
                </button>
              ))}
          </div>
        </section>
      )}
    </div>
  );
}
