import { checkSlotFile, DEFAULT_UPLOAD_MAX_BYTES, FILE_SNIFF_BYTES, uploadPurposeKinds } from '@makeplus/shared';
import { useId, useState } from 'react';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { uploadSessionCover } from '../events/eventAdminApi';
import { useI18n } from '../i18n/i18n';
import { useSyncStatus } from '../sync/status';

const accepted = uploadPurposeKinds.sessionCover.map((k) => k.toUpperCase()).join(', ');

/**
 * A session's cover image sent from the computer: checked here first (size, kind by its first
 * bytes, as the server checks again), sent with a progress bar, and its URL put in the form's
 * cover field (saved with the session). Sending needs the network; the address field works offline.
 */
export function CoverUpload({ value, onUploaded }: { value: string; onUploaded: (url: string) => void }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = useId();
  const eventId = useSession()?.event?.id ?? '';
  const { online } = useSyncStatus();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'sending'; name: string; sent: number; total: number }
    | { kind: 'problem'; text: string }
  >({ kind: 'idle' });
  const mb = (bytes: number) =>
    `${(bytes / (1024 * 1024)).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en', { maximumFractionDigits: 1 })} ${lang === 'fr' ? 'Mo' : 'MB'}`;

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const head = new Uint8Array(await file.slice(0, FILE_SNIFF_BYTES).arrayBuffer());
    const check = checkSlotFile('sessionCover', head, file.size, DEFAULT_UPLOAD_MAX_BYTES);
    if (!check.ok) {
      const text =
        check.reason === 'too_large'
          ? t('wizard.file.tooLarge', { name: file.name, size: mb(file.size), max: mb(DEFAULT_UPLOAD_MAX_BYTES) })
          : check.reason === 'empty'
            ? t('wizard.file.empty', { name: file.name })
            : t('wizard.file.wrongType', { name: file.name, accepted });
      setState({ kind: 'problem', text });
      return;
    }
    setState({ kind: 'sending', name: file.name, sent: 0, total: file.size });
    try {
      const stored = await uploadSessionCover(eventId, file, (sent, total) =>
        setState({ kind: 'sending', name: file.name, sent, total }),
      );
      onUploaded(stored.url);
      setState({ kind: 'idle' });
    } catch (err) {
      setState({ kind: 'problem', text: describeError(err, i18n) });
    }
  };

  return (
    <div className="field form--span">
      <label htmlFor={`${id}-file`}>{t('sessions.cover.upload', { accepted })}</label>
      <input
        id={`${id}-file`}
        type="file"
        accept={uploadPurposeKinds.sessionCover.map((k) => `image/${k}`).join(',')}
        disabled={!online || state.kind === 'sending'}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          void choose(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <span id={`${id}-hint`} className="field__hint">
        {online ? t('sessions.cover.hint', { max: mb(DEFAULT_UPLOAD_MAX_BYTES) }) : t('sessions.cover.needsNetwork')}
      </span>
      {state.kind === 'sending' && (
        <>
          <label htmlFor={`${id}-progress`} className="field__hint">
            {t('wizard.file.progress', { name: state.name })}
          </label>
          <progress id={`${id}-progress`} className="progress" max={state.total} value={state.sent} />
        </>
      )}
      {state.kind === 'problem' && (
        <span className="field__error" role="alert">
          {state.text}
        </span>
      )}
      {value && (
        <img src={value} alt={t('sessions.cover.preview')} className="cover-preview" width={240} height={135} />
      )}
    </div>
  );
}
