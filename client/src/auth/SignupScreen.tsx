import { type FormEvent, useId, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api/apiError';
import { describeError } from '../api/describeError';
import { type I18n, useI18n } from '../i18n/i18n';
import { AuthPage } from './AuthPage';
import { landingPath } from './LoginScreen';
import { type Session, signUp, useSession } from './session';

type Field = 'firstName' | 'lastName' | 'email' | 'password' | 'confirm';

/** Said on the device, before sending. */
const REQUIRED = 'required';
const NOT_THE_SAME = 'confirmation differs';
const ACCOUNT_EXISTS = 'an account already exists';

/**
 * A field's reason in the person's words, at render time (so switching language translates it):
 * the device's own checks and the server's reasons (shared/src/accounts/user.ts, passwordPolicy.ts).
 */
function reasonText(reason: string, { t }: Pick<I18n, 't'>): string {
  if (reason === REQUIRED) return t('field.required');
  if (reason === NOT_THE_SAME) return t('signup.reason.confirm');
  if (/^at least \d+ characters$/.test(reason)) return t('signup.reason.length', { min: Number(reason.split(' ')[2]) });
  if (reason === 'at least one digit') return t('signup.reason.digit');
  if (reason === 'too common, choose another') return t('signup.reason.common');
  if (reason === ACCOUNT_EXISTS) return t('signup.accountExists');
  if (reason === 'Invalid email address' || /email/i.test(reason)) return t('signup.reason.email');
  return reason;
}

/**
 * Create an account: names, email, password twice. Opened from the sign-in screen, or from the
 * invitation mail's link (`/signup?email=…&invitation=…`), which fills in the email and carries the
 * invitation that lets this person claim the account and the role waiting for them. Then signed in.
 */
export function SignupScreen() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = useId();
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const invitation = params.get('invitation') ?? undefined;
  const [values, setValues] = useState<Record<Field, string>>({
    firstName: '',
    lastName: '',
    email: params.get('email') ?? '',
    password: '',
    confirm: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  // What went wrong that belongs to no field: a link was mailed, or any other error (shown at render).
  const [alert, setAlert] = useState<{ invitationSent: true } | { error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  // Signed in already, and no invitation to accept: nothing to create here.
  if (session && !session.needsSignIn && !invitation && !busy) return <Navigate to={landingPath(session)} replace />;

  // Editing a field clears what was said about it.
  const set = (field: Field) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAlert(null);
    const missing: Partial<Record<Field, string>> = {};
    for (const f of ['firstName', 'email', 'password'] as const) if (!values[f].trim()) missing[f] = REQUIRED;
    if (values.password && values.confirm !== values.password) missing.confirm = NOT_THE_SAME;
    setErrors(missing);
    if (Object.keys(missing).length) {
      document.getElementById(`${id}-${Object.keys(missing)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    let signedIn: Session | null = null;
    try {
      signedIn = await signUp({
        email: values.email.trim(),
        password: values.password,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        locale: lang,
        ...(invitation ? { invitation } : {}),
      });
    } catch (err) {
      const fields: Partial<Record<Field, string>> = {};
      if (err instanceof ApiError) {
        for (const [name, reason] of Object.entries(err.fieldReasons()))
          if (name in values) fields[name as Field] = reason;
      }
      setErrors(fields);
      setValues((v) => ({ ...v, password: fields.password ? v.password : '', confirm: '' }));
      if (err instanceof ApiError && err.code === 'invitation_required') setAlert({ invitationSent: true });
      else if (err instanceof ApiError && err.code === 'account_exists') setAlert(null);
      else if (err instanceof ApiError && err.status === 400 && Object.keys(fields).length) setAlert(null);
      else setAlert({ error: err });
      const first = (['firstName', 'lastName', 'email', 'password'] as const).find((f) => fields[f]);
      if (first) document.getElementById(`${id}-${first}`)?.focus();
    } finally {
      setBusy(false);
    }
    if (signedIn) navigate(landingPath(signedIn), { replace: true });
  };

  const field = (
    name: Field,
    label: string,
    input: {
      type?: string;
      autoComplete: string;
      inputMode?: 'email';
      readOnly?: boolean;
      help?: string;
    },
  ) => {
    const describedBy = [input.help ? `${id}-${name}-help` : '', errors[name] ? `${id}-${name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        <input
          id={`${id}-${name}`}
          type={input.type ?? 'text'}
          autoComplete={input.autoComplete}
          {...(input.inputMode ? { inputMode: input.inputMode, autoCapitalize: 'none', spellCheck: false } : {})}
          maxLength={name === 'email' ? 254 : name === 'password' || name === 'confirm' ? 200 : 150}
          value={values[name]}
          readOnly={input.readOnly}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => set(name)(e.target.value)}
        />
        {input.help && (
          <small id={`${id}-${name}-help`} className="muted">
            {input.help}
          </small>
        )}
        {errors[name] && (
          <p id={`${id}-${name}-error`} className="field__error">
            {reasonText(errors[name], i18n)}
            {name === 'email' && errors.email === ACCOUNT_EXISTS && (
              <>
                {' '}
                <Link to="/login">{t('signup.toLogin')}</Link>
              </>
            )}
          </p>
        )}
      </div>
    );
  };

  return (
    <AuthPage
      title={t('signup.title')}
      subtitle={invitation ? t('signup.subtitleInvited') : t('signup.subtitle')}
      other={{ text: t('signup.haveAccount'), to: '/login', label: t('signup.toLogin') }}
    >
      <form className="form login-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        {field('firstName', t('signup.firstName'), { autoComplete: 'given-name' })}
        {field('lastName', t('signup.lastName'), { autoComplete: 'family-name' })}
        {field('email', t('login.email'), {
          type: 'email',
          inputMode: 'email',
          autoComplete: 'email',
          readOnly: !!invitation && !!params.get('email'),
          ...(invitation ? { help: t('signup.emailInvited') } : {}),
        })}
        {field('password', t('login.password'), {
          type: 'password',
          autoComplete: 'new-password',
          help: t('signup.passwordHelp'),
        })}
        {field('confirm', t('signup.confirm'), { type: 'password', autoComplete: 'new-password' })}
        {alert && (
          <p className="form-error" role="alert">
            {'error' in alert ? describeError(alert.error, i18n) : t('signup.invitationSent')}
          </p>
        )}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? t('signup.submitting') : t('signup.submit')}
        </button>
      </form>
    </AuthPage>
  );
}
