import { Suspense, useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AccountMenu } from '../shell/AccountMenu';
import { AppBrand } from '../shell/AppBrand';
import { SectionBoundary } from '../shell/SectionBoundary';
import { SyncStatusBar } from '../shell/SyncStatusBar';
import { consoleSections } from './sections';

/** The organizer's desktop console: side navigation, top bar, sync bar, the section. */
export function ConsoleLayout() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(false);

  // On a narrow screen the navigation is a drawer: close it once a section is chosen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose
  useEffect(() => setNavOpen(false), [location.pathname]);

  return (
    <div className={`console ${navOpen ? 'console--nav-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <aside className="console__nav" aria-label={t('console.navLabel')}>
        <div className="console__brand">
          <AppBrand />
        </div>
        <p className="console__event" title={session?.event?.name}>
          {session?.event?.name}
        </p>
        <nav>
          <ul>
            {consoleSections.map((s) => (
              <li key={s.path}>
                <NavLink to={s.path ? `/organizer/${s.path}` : '/organizer'} end={s.path === ''}>
                  <span className="console__icon" aria-hidden="true">
                    {s.icon}
                  </span>
                  <span>{t(s.label)}</span>
                  {!s.ready && <span className="console__soon">{t('console.soon')}</span>}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <button
        type="button"
        className="console__scrim"
        aria-hidden={!navOpen}
        tabIndex={-1}
        onClick={() => setNavOpen(false)}
      />
      <div className="console__main">
        <header className="topbar">
          <button
            type="button"
            className="icon-btn console__menu"
            aria-expanded={navOpen}
            onClick={() => setNavOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span>
            <span className="visually-hidden">{t('console.menu')}</span>
          </button>
          <p className="topbar__title">{t('console.title')}</p>
          <AccountMenu />
        </header>
        <SyncStatusBar />
        <main id="main" className="console__content" tabIndex={-1}>
          {/* Each section is its own chunk (app/App.tsx): the console stays while one loads. */}
          <SectionBoundary key={location.pathname}>
            <Suspense fallback={<div className="route-loading" aria-busy="true" />}>
              <Outlet />
            </Suspense>
          </SectionBoundary>
        </main>
      </div>
    </div>
  );
}
