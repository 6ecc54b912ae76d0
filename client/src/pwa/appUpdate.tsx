import { useRegisterSW } from 'virtual:pwa-register/react';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef } from 'react';

/** Look for a new version this often while the app stays open (a tablet can run for days). */
const UPDATE_CHECK_MS = 30 * 60 * 1000;

export interface AppUpdate {
  /** A new version is downloaded and waiting for the person's go-ahead. */
  needRefresh: boolean;
  /** Switch to the waiting version (reloads the page). */
  applyUpdate: () => Promise<void>;
  /** Put off the prompt until the next new version. */
  dismiss: () => void;
  /** Fetch the newest version now and switch to it (used when the server says this one is too old). */
  updateNow: () => Promise<void>;
}

const AppUpdateContext = createContext<AppUpdate | null>(null);

/** Registers the service worker once for the whole app and shares its update state. */
export function AppUpdateProvider({ children }: { children: ReactNode }) {
  const registration = useRef<ServiceWorkerRegistration | null>(null);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, reg) {
      if (!reg) return;
      registration.current = reg;
      setInterval(() => {
        if (navigator.onLine) void reg.update().catch(() => {});
      }, UPDATE_CHECK_MS);
    },
  });

  const updateNow = useCallback(async () => {
    const reg = registration.current;
    if (reg) {
      try {
        await reg.update();
      } catch {
        // Offline: the reload below serves the cached version; the check runs again later.
      }
      if (reg.waiting || reg.installing) {
        await updateServiceWorker(true);
        return;
      }
    }
    window.location.reload();
  }, [updateServiceWorker]);

  const value = useMemo<AppUpdate>(
    () => ({
      needRefresh,
      applyUpdate: () => updateServiceWorker(true),
      dismiss: () => setNeedRefresh(false),
      updateNow,
    }),
    [needRefresh, setNeedRefresh, updateServiceWorker, updateNow],
  );
  return <AppUpdateContext.Provider value={value}>{children}</AppUpdateContext.Provider>;
}

export function useAppUpdate(): AppUpdate {
  const value = useContext(AppUpdateContext);
  if (!value) throw new Error('useAppUpdate needs <AppUpdateProvider>');
  return value;
}
