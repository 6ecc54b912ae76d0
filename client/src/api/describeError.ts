import type { I18n } from '../i18n/i18n';
import { ApiError, isNetworkError, NotSignedInError } from './apiError';

/** What went wrong and what to do next, in the person's language, for any error a screen catches. */
export function describeError(err: unknown, { t }: Pick<I18n, 't'>): string {
  if (isNetworkError(err)) return t('error.network');
  if (err instanceof NotSignedInError) return t('error.signedOut');
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'invalid_credentials':
        return t('error.invalidCredentials');
      case 'account_disabled':
        return t('error.accountDisabled');
      case 'token_expired':
      case 'token_not_valid':
        return t('error.sessionExpired');
      case 'has_sessions':
        return t('error.roomHasSessions');
      case 'conflict':
        return t('error.conflict');
      case 'duplicate':
        return t('error.duplicate');
      case 'validation_failed':
        return t('error.validation');
    }
    if (err.status === 401) return t('error.sessionExpired');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 404) return t('error.notFound');
    if (err.status === 429) return t('error.rateLimited');
    if (err.status >= 500) return t('error.server', { status: err.status });
    return t('error.unexpected', { message: err.message });
  }
  return t('error.unexpected', { message: err instanceof Error ? err.message : String(err) });
}
