import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { EventChoiceScreen } from '../auth/EventChoiceScreen';
import { LoginScreen } from '../auth/LoginScreen';
import { SignupScreen } from '../auth/SignupScreen';
import { useSession } from '../auth/session';
import { AppUpdateProvider } from '../pwa/appUpdate';
import { UpdatePrompt } from '../pwa/UpdatePrompt';
import { applyEventTheme } from '../theme/eventTheme';
import { HomeRedirect, RequireEvent, RequireRole, RequireSession } from './guards';
import { NotFound } from './NotFound';

/*
 * Each role's screens are their own chunks, fetched when their route opens: the door loads the door,
 * not the organizer console, the cash desk's PDF code or the Excel exports. The service worker
 * precaches every chunk (vite.config.ts, globPatterns), so every route still opens offline once the
 * app has been installed.
 */
const AccountSecurityPage = lazy(() =>
  import('../account/AccountSecurityPage').then((m) => ({ default: m.AccountSecurityPage })),
);
const AnnouncementsPage = lazy(() =>
  import('../announcements/AnnouncementsPage').then((m) => ({ default: m.AnnouncementsPage })),
);
const AuditPage = lazy(() => import('../audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const CashierHome = lazy(() => import('../cashDesk/CashierHome').then((m) => ({ default: m.CashierHome })));
const CashRegistersPage = lazy(() =>
  import('../cashDesk/console/CashRegistersPage').then((m) => ({ default: m.CashRegistersPage })),
);
const BadgeControllerHome = lazy(() =>
  import('../doorControl/BadgeControllerHome').then((m) => ({ default: m.BadgeControllerHome })),
);
const EventsPage = lazy(() => import('../events/EventsPage').then((m) => ({ default: m.EventsPage })));
const EventWizard = lazy(() => import('../events/EventWizard').then((m) => ({ default: m.EventWizard })));
const ExportsPage = lazy(() => import('../exports/ExportsPage').then((m) => ({ default: m.ExportsPage })));
const ExhibitorHome = lazy(() => import('../leads/ExhibitorHome').then((m) => ({ default: m.ExhibitorHome })));
const ConsoleLayout = lazy(() => import('../organizer/ConsoleLayout').then((m) => ({ default: m.ConsoleLayout })));
const Dashboard = lazy(() => import('../organizer/Dashboard').then((m) => ({ default: m.Dashboard })));
const ParticipantHome = lazy(() =>
  import('../participants/ParticipantHome').then((m) => ({ default: m.ParticipantHome })),
);
const ParticipantsPage = lazy(() =>
  import('../participants/ParticipantsPage').then((m) => ({ default: m.ParticipantsPage })),
);
const PermissionsPage = lazy(() =>
  import('../permissions/PermissionsPage').then((m) => ({ default: m.PermissionsPage })),
);
const QuestionsPage = lazy(() => import('../questions/QuestionsPage').then((m) => ({ default: m.QuestionsPage })));
const ReconciliationInbox = lazy(() =>
  import('../reconciliation/ReconciliationInbox').then((m) => ({ default: m.ReconciliationInbox })),
);
const RoomManagerHome = lazy(() => import('../rooms/RoomManagerHome').then((m) => ({ default: m.RoomManagerHome })));
const RoomsPage = lazy(() => import('../rooms/RoomsPage').then((m) => ({ default: m.RoomsPage })));
const SessionsPage = lazy(() => import('../sessions/SessionsPage').then((m) => ({ default: m.SessionsPage })));
const StaffPage = lazy(() => import('../staff/StaffPage').then((m) => ({ default: m.StaffPage })));
const CommitteeHome = lazy(() => import('../statistics/CommitteeHome').then((m) => ({ default: m.CommitteeHome })));

/** While a route's chunk loads (from the service-worker cache: a few milliseconds). */
function RouteLoading() {
  return <div className="route-loading" aria-busy="true" />;
}

function EventTheme() {
  const color = useSession()?.event?.primaryColor;
  useEffect(() => applyEventTheme(color), [color]);
  return null;
}

export function App() {
  return (
    <AppUpdateProvider>
      <BrowserRouter>
        <EventTheme />
        <UpdatePrompt />
        <Suspense fallback={<RouteLoading />}>
          <Routes>
            <Route path="/login" element={<LoginScreen />} />
            <Route path="/signup" element={<SignupScreen />} />
            <Route element={<RequireSession />}>
              <Route path="/events" element={<EventChoiceScreen />} />
              <Route element={<RequireEvent />}>
                <Route path="/account/security" element={<AccountSecurityPage />} />
                <Route index element={<HomeRedirect />} />
                <Route
                  path="/organizer"
                  element={
                    <RequireRole allow="organizer">
                      <ConsoleLayout />
                    </RequireRole>
                  }
                >
                  <Route index element={<Dashboard />} />
                  <Route path="events" element={<EventsPage />} />
                  <Route path="events/new" element={<EventWizard key="new" />} />
                  <Route path="events/:eventId/edit" element={<EventWizard />} />
                  <Route path="rooms" element={<RoomsPage />} />
                  <Route path="sessions" element={<SessionsPage />} />
                  <Route path="participants" element={<ParticipantsPage />} />
                  <Route path="staff" element={<StaffPage />} />
                  <Route path="cash-registers" element={<CashRegistersPage />} />
                  <Route path="announcements" element={<AnnouncementsPage />} />
                  <Route path="questions" element={<QuestionsPage />} />
                  <Route path="reconciliation" element={<ReconciliationInbox />} />
                  <Route path="exports" element={<ExportsPage />} />
                  <Route path="permissions" element={<PermissionsPage />} />
                  <Route path="audit" element={<AuditPage />} />
                </Route>
                <Route
                  path="/room"
                  element={
                    <RequireRole allow="room_manager">
                      <RoomManagerHome />
                    </RequireRole>
                  }
                />
                <Route
                  path="/door"
                  element={
                    <RequireRole allow="badge_controller">
                      <BadgeControllerHome />
                    </RequireRole>
                  }
                />
                <Route
                  path="/cash-desk"
                  element={
                    <RequireRole allow="cashier">
                      <CashierHome />
                    </RequireRole>
                  }
                />
                <Route
                  path="/stand"
                  element={
                    <RequireRole allow="exhibitor">
                      <ExhibitorHome />
                    </RequireRole>
                  }
                />
                <Route
                  path="/me"
                  element={
                    <RequireRole allow="participant">
                      <ParticipantHome />
                    </RequireRole>
                  }
                />
                <Route
                  path="/committee"
                  element={
                    <RequireRole allow="committee">
                      <CommitteeHome />
                    </RequireRole>
                  }
                />
              </Route>
            </Route>
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </AppUpdateProvider>
  );
}
