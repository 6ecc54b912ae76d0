import { useState } from 'react';
import { describeError } from '../api/describeError';
import { useI18n } from '../i18n/i18n';
import { Dialog } from './Dialog';

interface ConfirmDeleteDialogProps {
  /** « Supprimer la salle … ? » */
  title: string;
  /** What deleting does (and what it does not). */
  explain: string;
  /** The danger button's label. */
  confirmLabel: string;
  onClose: () => void;
  /** Does the deletion; a failure is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  /** Words a failure differently (e.g. a refusal the page explains); describeError otherwise. */
  describeFailure?: (err: unknown) => string | null;
}

/**
 * The console's delete confirmation (events, rooms, announcements…): what will happen, Cancel, and
 * a danger button that is disabled while the deletion runs; a failure is said in the dialog.
 */
export function ConfirmDeleteDialog({
  title,
  explain,
  confirmLabel,
  onClose,
  onConfirm,
  describeFailure,
}: ConfirmDeleteDialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(describeFailure?.(err) ?? describeError(err, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn--danger" onClick={() => void confirm()} disabled={busy}>
            {busy ? t('common.deleting') : confirmLabel}
          </button>
        </>
      }
    >
      <p>{explain}</p>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
