import { type DeviceSession, type EventRole, type LoginHistoryEntry, twoFactorRequirableRoles } from '@makeplus/shared';
import { type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { catalogues, useI18n } from '../i18n/i18n';
import { PhoneLayout } from '../shell/PhoneLayout';
import { ChangePasswordForm } from './ChangePasswordForm';
import { securityApi } from './securityApi';
import { TwoFactorSection } from './TwoFactorSection';
import './account.css';

/** Load once on mount (and on `reload`); errors in the person's words. */
function useLoad<T>(load: () => Promise<T>) {
  const i18n = useI18n();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded on mount and on demand only
  const reload = useCallback(() => {
    load().then(setData, (err) => setError(describeError(err, i18n)));
  }, []);
  useEffect(() => reload(), [reload]);
  return { data, error, reload };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function LoginHistoryTable({ items, withWho }: { items: LoginHistoryEntry[]; withWho?: boolean }) {
  const { t, dateTime } = useI18n();
  // The server's reasons are English words; known ones are shown translated.
  const reason = (r: string) => {
    const key = `security.reason.${r}`;
    return key in catalogues.fr ? t(key as 'security.reason.password') : r;
  };
  if (items.length === 0) return <p className="muted">{t('security.history.none')}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('security.history.when')}</th>
            {withWho && <th scope="col">{t('security.staff.who')}</th>}
            <th scope="col">{t('security.history.result')}</th>
            <th scope="col">{t('security.history.ip')}</th>
            <th scope="col">{t('security.history.device')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.at}-${i.email}-${i.reason}-${i.ip}`}>
              <td>{dateTime(i.at)}</td>
              {withWho && <td>{i.email}</td>}
              <td className={i.success ? 'text-ok' : 'text-danger'}>
                {i.success ? t('security.history.ok') : t('security.history.failed')} ({reason(i.reason)})
              </td>
              <td>{i.ip}</td>
              <td className="muted">{i.userAgent}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DevicesSection() {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const { data, error, reload } = useLoad(securityApi.sessions);
  const [message, setMessage] = useState<string | null>(null);
  const revoke = async (s: DeviceSession) => {
    try {
      await securityApi.revoke(s.id);
      setMessage(t('security.devices.revoked'));
      reload();
    } catch (err) {
      setMessage(describeError(err, i18n));
    }
  };
  return (
    <Section title={t('security.devices.title')}>
      {error && <p className="form-error">{error}</p>}
      {message && <p role="status">{message}</p>}
      {data && data.items.length === 0 && <p className="muted">{t('security.devices.none')}</p>}
      <ul className="device-list">
        {data?.items.map((s) => (
          <li key={s.id} className="device-list__item">
            <div>
              <strong>{s.current ? t('security.devices.current') : s.userAgent || '—'}</strong>
              <div className="muted">
                {t('security.devices.signedIn', { date: dateTime(s.signedInAt) })} ·{' '}
                {t('security.devices.lastUsed', { date: dateTime(s.lastUsedAt) })} · {s.ip}
              </div>
            </div>
            {!s.current && (
              <button type="button" className="btn btn--danger-outline" onClick={() => void revoke(s)}>
                {t('security.devices.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Organizers: which staff roles must use 2FA in this event, and the staff's sign-ins. */
function EventSecuritySections({ eventId }: { eventId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const policy = useLoad(() => securityApi.policy(eventId));
  const staff = useLoad(() => securityApi.staffLogins(eventId));
  const [roles, setRoles] = useState<EventRole[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const chosen = roles ?? policy.data?.requiredRoles ?? [];
  const save = async () => {
    try {
      const saved = await securityApi.setPolicy(eventId, chosen);
      setRoles(saved.requiredRoles);
      setMessage(t('security.policy.saved'));
    } catch (err) {
      setMessage(describeError(err, i18n));
    }
  };
  return (
    <>
      <Section title={t('security.policy.title')}>
        <p className="muted">{t('security.policy.help')}</p>
        <fieldset className="checkbox-list">
          <legend className="visually-hidden">{t('security.policy.title')}</legend>
          {twoFactorRequirableRoles.map((role) => (
            <label key={role} className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(role)}
                onChange={(e) => setRoles(e.target.checked ? [...chosen, role] : chosen.filter((r) => r !== role))}
              />{' '}
              {t(`role.${role}`)}
            </label>
          ))}
        </fieldset>
        {message && <p role="status">{message}</p>}
        <button type="button" className="btn btn--primary" onClick={() => void save()}>
          {t('security.policy.save')}
        </button>
      </Section>
      <Section title={t('security.staff.title')}>
        {staff.error && <p className="form-error">{staff.error}</p>}
        {staff.data && <LoginHistoryTable items={staff.data.items} withWho />}
      </Section>
    </>
  );
}

/** "Sécurité du compte": 2FA, devices, sign-in history, password; organizers also the event's rules. */
export function AccountSecurityPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const history = useLoad(securityApi.history);
  const [devicesVersion, setDevicesVersion] = useState(0);
  if (!session) return null;
  return (
    <PhoneLayout title={t('security.title')}>
      <div className="account-security">
        <button type="button" className="btn" onClick={() => navigate(-1)}>
          ← {t('security.back')}
        </button>
        <h1 className="page-title">{t('security.title')}</h1>
        <p className="muted">{t('security.intro')}</p>
        {session.subject !== 'user' ? (
          <p className="card">{t('security.notForRegister')}</p>
        ) : (
          <>
            <TwoFactorSection onChanged={() => setDevicesVersion((v) => v + 1)} />
            <DevicesSection key={devicesVersion} />
            <Section title={t('security.history.title')}>
              {history.error && <p className="form-error">{history.error}</p>}
              {history.data && <LoginHistoryTable items={history.data.items} />}
            </Section>
            <ChangePasswordForm />
            {session.role === 'organizer' && session.event && <EventSecuritySections eventId={session.event.id} />}
          </>
        )}
      </div>
    </PhoneLayout>
  );
}
