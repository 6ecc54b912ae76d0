import type { ReactNode } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AccountMenu } from './AccountMenu';
import { AppBrand } from './AppBrand';
import { SyncStatusBar } from './SyncStatusBar';

/** Phone-first frame for the roles that work standing up: app bar, sync bar, one column. */
export function PhoneLayout({ title, children }: { title: string; children: ReactNode }) {
  const session = useSession();
  const { t } = useI18n();
  return (
    <div className="phone-layout">
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="appbar">
        <AppBrand compact />
        <div className="appbar__titles">
          <span className="appbar__event">{session?.event?.name}</span>
          <span className="appbar__title">{title}</span>
        </div>
        <AccountMenu />
      </header>
      <SyncStatusBar />
      <main id="main" className="phone-layout__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
