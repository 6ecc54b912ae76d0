import { useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AccountSecurityPage } from '../account/AccountSecurityPage';
import { AnnouncementsPage } from '../announcements/AnnouncementsPage';
import { AuditPage } from '../audit/AuditPage';
import { EventChoiceScreen } from '../auth/EventChoiceScreen';
import { LoginScreen } from '../auth/LoginScreen';
import { useSession } from '../auth/session';
import { CashierHome } from '../cashDesk/CashierHome';
import { CashRegistersPage } from '../cashDesk/console/CashRegistersPage';
import { BadgeControllerHome } from '../doorControl/BadgeControllerHome';
import { EventsPage } from '../events/EventsPage';
import { EventWizard } from '../events/EventWizard';
import { ExportsPage } from '../exports/ExportsPage';
import { ExhibitorHome } from '../leads/ExhibitorHome';
import { ConsoleLayout } from '../organizer/ConsoleLayout';
import { Dashboard } from '../organizer/Dashboard';
import { ParticipantHome } from '../participants/ParticipantHome';
import { ParticipantsPage } from '../participants/ParticipantsPage';
import { PermissionsPage } from '../permissions/PermissionsPage';
import { AppUpdateProvider } from '../pwa/appUpdate';
import { UpdatePrompt } from '../pwa/UpdatePrompt';
import { QuestionsPage } from '../questions/QuestionsPage';
import { ReconciliationInbox } from '../reconciliation/ReconciliationInbox';
import { RoomManagerHome } from '../rooms/RoomManagerHome';
import { RoomsPage } from '../rooms/RoomsPage';
import { SessionsPage } from '../sessions/SessionsPage';
import { StaffPage } from '../staff/StaffPage';
import { CommitteeHome } from '../statistics/CommitteeHome';
import { applyEventTheme } from '../theme/eventTheme';
import { HomeRedirect, RequireEvent, RequireRole, RequireSession } from './guards';
import { NotFound } from './NotFound';

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
        <Routes>
          <Route path="/login" element={<LoginScreen />} />
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
      </BrowserRouter>
    </AppUpdateProvider>
  );
}
