import { Component, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

function SectionUnavailable({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice notice--error" role="alert">
      <p>{t('shell.sectionUnavailable')}</p>
      <button type="button" className="btn" onClick={onRetry}>
        {t('shell.sectionRetry')}
      </button>
    </div>
  );
}

/**
 * Each screen is its own chunk. If one cannot load (offline before the service worker had cached the
 * app, or a crash), say so in place of that screen and keep the rest (menu, sync bar) working,
 * instead of React unmounting the whole page. Keyed by the route where it is used, so moving to
 * another section starts afresh.
 */
export class SectionBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed) return <SectionUnavailable onRetry={() => this.setState({ failed: false })} />;
    return this.props.children;
  }
}
