import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { BadgeQr } from '../participants/BadgeQr';
import { displayName } from '../shell/AccountMenu';
import { InstallPrompt } from './InstallPrompt';

type WakeLockSentinelLike = { release(): Promise<void> };

/**
 * My badge: drawn on the device from the code stored at sign-in (so it shows offline from the first
 * login), and a full-screen view for the door with the screen kept awake and a brightness hint.
 */
export function BadgeTab() {
  const { t } = useI18n();
  const session = useSession();
  const [full, setFull] = useState(false);
  const code = session?.user?.badgeCode;
  if (!session) return null;
  const name = displayName(session);
  return (
    <section aria-label={t('me.tab.badge')}>
      {code ? (
        <>
          <BadgeQr code={code} name={name} />
          <button type="button" className="btn btn--primary btn--block me-badge__full" onClick={() => setFull(true)}>
            {t('me.badge.fullScreen')}
          </button>
          <p className="muted">{t('me.badge.offline')}</p>
          {full && <FullScreenBadge code={code} name={name} onClose={() => setFull(false)} />}
        </>
      ) : (
        <p className="card muted">{t('participant.noBadge')}</p>
      )}
      <InstallPrompt />
    </section>
  );
}

function FullScreenBadge({ code, name, onClose }: { code: string; name: string; onClose: () => void }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 3, width: 720 }).then((u) => {
      if (!cancelled) setSrc(u);
    });
    // Keep the screen on while the badge is shown (where the browser allows it).
    let lock: WakeLockSentinelLike | null = null;
    const wake = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinelLike> } })
      .wakeLock;
    wake
      ?.request('screen')
      .then((l) => {
        lock = l;
      })
      .catch(() => {});
    document.documentElement.requestFullscreen?.().catch(() => {});
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => {
      cancelled = true;
      void lock?.release().catch(() => {});
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
      document.removeEventListener('keydown', onKey);
    };
  }, [code, onClose]);
  return (
    <div className="me-fullbadge" role="dialog" aria-modal="true" aria-label={t('participant.badgeTitle')}>
      <p className="me-fullbadge__hint">☀ {t('me.badge.brightness')}</p>
      {src && <img className="me-fullbadge__qr" src={src} alt={t('participant.badgeAlt', { name })} />}
      <p className="me-fullbadge__name">{name}</p>
      <button type="button" className="btn btn--block" onClick={onClose}>
        {t('me.badge.close')}
      </button>
    </div>
  );
}
