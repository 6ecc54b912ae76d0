import { useI18n } from '../i18n/i18n';
import { useLocalRecords } from '../organizer/localRecords';
import '../organizer/organizer.css';
import { useDeviceStore } from '../sync/DeviceSync';
import { QuestionModeration } from './QuestionModeration';

/** Organizer › Q&A: every session's questions, moderated from the console (offline too). */
export function QuestionsPage() {
  const { t } = useI18n();
  const store = useDeviceStore();
  const { records: sessions } = useLocalRecords('sessions');
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('questions.title')}</h1>
          <p className="muted">{t('questions.explain')}</p>
        </div>
      </div>
      {store && sessions ? (
        <QuestionModeration store={store} sessions={sessions} />
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </div>
  );
}
