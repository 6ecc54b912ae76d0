import type { EventRole } from '@makeplus/shared';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { DeviceSyncProvider } from '../sync/DeviceSync';
import { homePathByRole } from './homes';

/** Screens behind sign-in. A session that needs a new sign-in still opens: the data stays usable. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

/** Screens of one event: without a chosen event, go choose one. */
export function RequireEvent() {
  const session = useSession();
  const location = useLocation();
  if (!session?.event || !session.role) {
    // The account pages also serve someone without an event (e.g. told to turn 2FA on first);
    // with one, they sit here so the device's sync keeps running while they are open.
    if (location.pathname.startsWith('/account/')) return <Outlet />;
    return <Navigate to="/events" replace />;
  }
  // Every screen of an event works on the device's local data, kept in sync in the background.
  return (
    <DeviceSyncProvider>
      <Outlet />
    </DeviceSyncProvider>
  );
}

/** A role's own screens; anyone else is sent to their own home. */
export function RequireRole({ allow, children }: { allow: EventRole; children: ReactNode }) {
  const session = useSession();
  if (session?.role && session.role !== allow) return <Navigate to={homePathByRole[session.role]} replace />;
  return <>{children}</>;
}

export function HomeRedirect() {
  const session = useSession();
  return <Navigate to={session?.role ? homePathByRole[session.role] : '/events'} replace />;
}
