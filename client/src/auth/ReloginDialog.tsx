import { useI18n } from '../i18n/i18n';
import { Dialog } from '../shell/Dialog';
import { LoginForm } from './LoginForm';
import { useSession } from './session';

/** Sign in again after a refused refresh, as the same account: nothing on the device is lost. */
export function ReloginDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  return (
    <Dialog title={t('relogin.title')} onClose={onClose}>
      <p className="muted">{t('relogin.explain')}</p>
      <LoginForm lockedEmail={session?.email || undefined} onSignedIn={onClose} />
    </Dialog>
  );
}
