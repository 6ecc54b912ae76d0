import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';

export function NotFound() {
  const { t } = useI18n();
  return (
    <main id="main" className="auth-page">
      <div className="auth-card card">
        <h1>{t('notFound.title')}</h1>
        <p className="muted">{t('notFound.explain')}</p>
        <Link className="btn btn--primary" to="/">
          {t('notFound.home')}
        </Link>
      </div>
    </main>
  );
}
