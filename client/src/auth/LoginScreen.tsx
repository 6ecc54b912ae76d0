import { Navigate, useNavigate } from 'react-router';
import { homePathByRole } from '../app/homes';
import { useI18n } from '../i18n/i18n';
import { AuthPage } from './AuthPage';
import { LoginForm } from './LoginForm';
import { type Session, useSession } from './session';

export function landingPath(session: Session): string {
  return session.event && session.role ? homePathByRole[session.role] : '/events';
}

export function LoginScreen() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  if (session) return <Navigate to={landingPath(session)} replace />;
  return (
    <AuthPage
      title={t('login.title')}
      subtitle={t('login.subtitle')}
      other={{ text: t('login.noAccount'), to: '/signup', label: t('login.toSignup') }}
      note={
        <p className="auth-card__note">
          <span aria-hidden="true">⚡</span> {t('login.offlineNote')}
        </p>
      }
    >
      <LoginForm onSignedIn={(s) => navigate(landingPath(s), { replace: true })} />
    </AuthPage>
  );
}
