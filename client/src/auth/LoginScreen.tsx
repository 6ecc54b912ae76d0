import { Link, Navigate, useNavigate } from 'react-router';
import { homePathByRole } from '../app/homes';
import { useI18n } from '../i18n/i18n';
import { AppBrand } from '../shell/AppBrand';
import { LanguageSwitch } from '../shell/LanguageSwitch';
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
    <div className="auth-page">
      <div className="auth-page__top">
        <LanguageSwitch />
      </div>
      <main id="main" className="auth-card card">
        <div className="auth-card__brand">
          <AppBrand />
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <LoginForm onSignedIn={(s) => navigate(landingPath(s), { replace: true })} />
        <div className="auth-card__other">
          <p className="muted">{t('login.noAccount')}</p>
          <Link className="btn btn--block" to="/signup">
            {t('login.toSignup')}
          </Link>
        </div>
        <p className="auth-card__note">
          <span aria-hidden="true">⚡</span> {t('login.offlineNote')}
        </p>
      </main>
    </div>
  );
}
