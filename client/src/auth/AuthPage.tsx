import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { AppBrand } from '../shell/AppBrand';
import { LanguageSwitch } from '../shell/LanguageSwitch';

/**
 * The frame of the sign-in and sign-up screens: language switch, brand, title and subtitle, the
 * form, a link to the other screen, and an optional note under it.
 */
export function AuthPage({
  title,
  subtitle,
  other,
  note,
  children,
}: {
  title: string;
  subtitle: string;
  other: { text: string; to: string; label: string };
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="auth-page">
      <div className="auth-page__top">
        <LanguageSwitch />
      </div>
      <main id="main" className="auth-card card">
        <div className="auth-card__brand">
          <AppBrand />
        </div>
        <h1>{title}</h1>
        <p className="muted">{subtitle}</p>
        {children}
        <div className="auth-card__other">
          <p className="muted">{other.text}</p>
          <Link className="btn btn--block" to={other.to}>
            {other.label}
          </Link>
        </div>
        {note}
      </main>
    </div>
  );
}
