import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';
import type { ConsoleSection } from './sections';

/** A console section that is not built yet: what it will do, said plainly, and nothing invented. */
export function ComingSection({ section }: { section: ConsoleSection }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1 className="page-title">{t(section.label)}</h1>
      <section className="card coming">
        <p className="lead">{t(section.purpose)}</p>
        <p>
          <span className="pill pill--soon">{t('console.soon')}</span> {t('console.comingExplain')}
        </p>
        <p>
          <Link to="/organizer">{t('console.backToDashboard')}</Link>
        </p>
      </section>
    </div>
  );
}
