import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * The person's badge as a QR code, drawn on the device from the code it received at sign-in, so
 * it shows at the door even without network.
 */
export function BadgeQr({ code, name }: { code: string; name: string }) {
  const { t } = useI18n();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 2, width: 320 })
      .then((url) => {
        if (!cancelled) setSrc(url);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [code]);

  return (
    <section className="card badge-card" aria-labelledby="badge-title">
      <h2 id="badge-title">{t('participant.badgeTitle')}</h2>
      <p className="muted">{t('participant.badgeExplain')}</p>
      {src && <img className="badge-card__qr" src={src} alt={t('participant.badgeAlt', { name })} />}
      {failed && <p className="form-error">{t('participant.badgeFailed')}</p>}
      <p className="badge-card__name">{name}</p>
    </section>
  );
}
