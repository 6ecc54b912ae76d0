import { useI18n } from '../i18n/i18n';
import { useAppUpdate } from './appUpdate';

/** "A new version is available": shown on every screen, applied only when the person says so. */
export function UpdatePrompt() {
  const { t } = useI18n();
  const { needRefresh, applyUpdate, dismiss } = useAppUpdate();
  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="alert">
      <p>
        <strong>{t('update.available')}</strong> {t('update.explain')}
      </p>
      <div className="update-prompt__actions">
        <button type="button" className="btn btn--primary" onClick={() => void applyUpdate()}>
          {t('update.reload')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={dismiss}>
          {t('update.later')}
        </button>
      </div>
    </div>
  );
}
