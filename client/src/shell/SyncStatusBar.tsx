import { useState } from 'react';
import { ReloginDialog } from '../auth/ReloginDialog';
import { useI18n } from '../i18n/i18n';
import { useAppUpdate } from '../pwa/appUpdate';
import { syncNow, updateSyncStatus, useSyncStatus } from '../sync/status';
import { useNow } from './useNow';

/**
 * The device's sync state, on every signed-in screen: online or not, writes waiting to be sent,
 * the last successful sync, errors with a retry, first-sync progress, and the banners that need
 * the person (update the app, sign in again).
 */
export function SyncStatusBar() {
  const { t, tn, relative, number } = useI18n();
  const status = useSyncStatus();
  const now = useNow(15_000);
  const { updateNow } = useAppUpdate();
  const [relogin, setRelogin] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    try {
      await syncNow();
    } catch {
      // The engine reports its own errors through the status (shown below).
    } finally {
      setBusy(false);
    }
  };
  const syncing = status.syncing || busy;
  const state = !status.online ? 'offline' : status.error ? 'error' : syncing ? 'syncing' : 'online';
  const stateLabel = {
    offline: t('sync.offline'),
    error: t('sync.errorShort'),
    syncing: t('sync.syncing'),
    online: t('sync.online'),
  }[state];
  const progress = status.initialSync;
  const percent = progress && progress.total > 0 ? Math.min(100, (progress.received / progress.total) * 100) : null;

  return (
    <section className={`sync-bar sync-bar--${state}`} aria-label={t('sync.region')} data-testid="sync-bar">
      <div className="sync-bar__row">
        <p className="sync-bar__state" role="status" data-state={state}>
          <span className="sync-bar__dot" aria-hidden="true" />
          <span>{stateLabel}</span>
        </p>
        <p className="sync-bar__detail">
          <span className={status.pending > 0 ? 'sync-bar__pending' : ''}>
            {status.pending > 0 ? tn('sync.pending', status.pending) : t('sync.nothingPending')}
          </span>
          <span className="sync-bar__sep" aria-hidden="true">
            ·
          </span>
          <span>
            {status.lastSyncAt ? t('sync.lastSync', { when: relative(status.lastSyncAt, now) }) : t('sync.neverSynced')}
          </span>
        </p>
        <button
          type="button"
          className="btn btn--small sync-bar__now"
          onClick={() => void run()}
          disabled={syncing || !status.online}
          title={!status.online ? t('sync.nowOffline') : undefined}
          aria-label={t('sync.now')}
        >
          <span aria-hidden="true" className={syncing ? 'spin' : ''}>
            ⟳
          </span>
          <span aria-hidden="true" className="sync-bar__now-long">
            {t('sync.now')}
          </span>
          <span aria-hidden="true" className="sync-bar__now-short">
            {t('sync.nowShort')}
          </span>
        </button>
      </div>

      {progress && (
        <div className="sync-bar__progress">
          <label htmlFor="initial-sync-progress">
            {t('sync.initial', { received: number(progress.received), total: number(progress.total) })}
          </label>
          <progress id="initial-sync-progress" max={progress.total || undefined} value={progress.received} />
          {percent !== null && <span aria-hidden="true">{Math.floor(percent)} %</span>}
        </div>
      )}

      {status.error && (
        <div className="banner banner--error" role="alert">
          <p>
            <strong>{t('sync.errorTitle')}</strong> {status.error}
          </p>
          <button type="button" className="btn btn--small" onClick={() => void run()} disabled={syncing}>
            {t('common.retry')}
          </button>
        </div>
      )}

      {status.outdated && (
        <div className="banner banner--warning" role="alert">
          <p>
            <strong>{t('sync.outdatedTitle')}</strong> {t('sync.outdatedExplain')}
          </p>
          <button type="button" className="btn btn--small btn--primary" onClick={() => void updateNow()}>
            {t('sync.outdatedAction')}
          </button>
        </div>
      )}

      {status.needsSignIn && (
        <div className="banner banner--warning" role="alert">
          <p>
            <strong>{t('sync.signInTitle')}</strong> {t('sync.signInExplain')}
          </p>
          <button type="button" className="btn btn--small btn--primary" onClick={() => setRelogin(true)}>
            {t('sync.signInAction')}
          </button>
        </div>
      )}
      {status.refused && (
        <div className="banner banner--warning" role="alert">
          <p>
            <strong>{tn('sync.refusedTitle', status.refused.count)}</strong> {t('sync.refusedExplain')}{' '}
            <span className="muted">{status.refused.lastReason}</span>
          </p>
          <button type="button" className="btn btn--small" onClick={() => updateSyncStatus({ refused: null })}>
            {t('sync.refusedAck')}
          </button>
        </div>
      )}
      {relogin && <ReloginDialog onClose={() => setRelogin(false)} />}
    </section>
  );
}
