import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

// The browser fires this once, early: keep it from the moment this module loads.
let deferred: BeforeInstallPromptEvent | null = null;
const waiting = new Set<() => void>();
if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    for (const w of waiting) w();
  });
}

const DISMISSED = 'makeplus.installDismissed';

function standalone(): boolean {
  return (
    window.matchMedia?.('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

/** "Add to home screen": the browser's own prompt where it offers one, instructions on iPhone. */
export function InstallPrompt() {
  const { t } = useI18n();
  const [available, setAvailable] = useState(() => deferred !== null);
  const [dismissed, setDismissed] = useState(() => {
    try {
      return localStorage.getItem(DISMISSED) === '1';
    } catch {
      return false;
    }
  });
  useEffect(() => {
    const on = () => setAvailable(true);
    waiting.add(on);
    return () => {
      waiting.delete(on);
    };
  }, []);
  const ios = /iphone|ipad|ipod/i.test(navigator.userAgent);
  if (dismissed || standalone() || (!available && !ios)) return null;
  const dismiss = () => {
    try {
      localStorage.setItem(DISMISSED, '1');
    } catch {}
    setDismissed(true);
  };
  return (
    <section className="card me-install" aria-labelledby="install-title">
      <h2 id="install-title">{t('me.install.title')}</h2>
      <p className="muted">{t('me.install.explain')}</p>
      {available ? (
        <button
          type="button"
          className="btn btn--primary btn--block"
          onClick={async () => {
            if (!deferred) return;
            await deferred.prompt();
            await deferred.userChoice.catch(() => null);
            deferred = null;
            setAvailable(false);
          }}
        >
          {t('me.install.button')}
        </button>
      ) : (
        <p>{t('me.install.ios')}</p>
      )}
      <button type="button" className="btn btn--ghost btn--block" onClick={dismiss}>
        {t('me.install.later')}
      </button>
    </section>
  );
}
