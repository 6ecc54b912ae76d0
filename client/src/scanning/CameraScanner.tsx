import { Html5Qrcode, Html5QrcodeSupportedFormats } from 'html5-qrcode';
import { useEffect, useId, useRef, useState } from 'react';
import { type PlainMessageKey, useI18n } from '../i18n/i18n';

type CameraState =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'failed'; reason: 'denied' | 'missing' | 'insecure' | 'other'; detail: string };

type Torch = { supported: false } | { supported: true; on: boolean; apply: (on: boolean) => Promise<void> };

const failureText: Record<Exclude<CameraState, { kind: 'starting' | 'running' }>['reason'], PlainMessageKey> = {
  denied: 'scanner.camera.denied',
  missing: 'scanner.camera.missing',
  insecure: 'scanner.camera.insecure',
  other: 'scanner.camera.failed',
};

function classify(err: unknown): Exclude<CameraState, { kind: 'starting' | 'running' }> {
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (!window.isSecureContext || !navigator.mediaDevices) return { kind: 'failed', reason: 'insecure', detail };
  if (/NotAllowed|Permission|denied/i.test(detail)) return { kind: 'failed', reason: 'denied', detail };
  if (/NotFound|NotReadable|Overconstrained|no camera|Requested device not found/i.test(detail))
    return { kind: 'failed', reason: 'missing', detail };
  return { kind: 'failed', reason: 'other', detail };
}

/**
 * The back camera, decoding QR codes continuously (html5-qrcode; the phone's native
 * BarcodeDetector when it has one). Every decoded text goes to `onDecoded`; the caller filters repeats.
 * A torch button appears when the camera offers one.
 */
export function CameraScanner({ onDecoded }: { onDecoded: (text: string) => void }) {
  const { t } = useI18n();
  const elementId = `camera-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const [state, setState] = useState<CameraState>({ kind: 'starting' });
  const [torch, setTorch] = useState<Torch>({ supported: false });
  const [attempt, setAttempt] = useState(0);
  const decoded = useRef(onDecoded);
  decoded.current = onDecoded;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` restarts the camera on retry
  useEffect(() => {
    let disposed = false;
    setState({ kind: 'starting' });
    setTorch({ supported: false });
    const scanner = new Html5Qrcode(elementId, {
      verbose: false,
      formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
      useBarCodeDetectorIfSupported: true,
    });
    const started = scanner
      .start(
        { facingMode: 'environment' },
        {
          fps: 12,
          qrbox: (w, h) => {
            const side = Math.max(120, Math.floor(Math.min(w, h) * 0.8));
            return { width: side, height: side };
          },
        },
        (text) => {
          if (!disposed) decoded.current(text);
        },
        () => {},
      )
      .then(() => {
        if (disposed) return;
        setState({ kind: 'running' });
        try {
          const feature = scanner.getRunningTrackCameraCapabilities().torchFeature();
          if (feature.isSupported())
            setTorch({ supported: true, on: feature.value() === true, apply: (on) => feature.apply(on) });
        } catch {
          // No capabilities on this browser: no torch button.
        }
        return true;
      })
      .catch((err: unknown) => {
        if (!disposed) setState(classify(err));
        return false;
      });
    return () => {
      disposed = true;
      void started.then(async (running) => {
        try {
          if (running) await scanner.stop();
          scanner.clear();
        } catch {
          // Already stopped.
        }
      });
    };
  }, [elementId, attempt]);

  const toggleTorch = async () => {
    if (!torch.supported) return;
    const next = !torch.on;
    try {
      await torch.apply(next);
      setTorch({ ...torch, on: next });
    } catch {
      setTorch({ supported: false });
    }
  };

  return (
    <div className="camera" data-state={state.kind}>
      <div id={elementId} className="camera__view" aria-label={t('scanner.camera.view')} role="img" />
      {state.kind === 'starting' && <p className="camera__note">{t('scanner.camera.starting')}</p>}
      {state.kind === 'failed' && (
        <div className="camera__note camera__note--error" role="alert">
          <p>{t(failureText[state.reason])}</p>
          <button type="button" className="btn" onClick={() => setAttempt((a) => a + 1)}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {state.kind === 'running' && torch.supported && (
        <button type="button" className="btn camera__torch" aria-pressed={torch.on} onClick={() => void toggleTorch()}>
          {torch.on ? t('scanner.torch.off') : t('scanner.torch.on')}
        </button>
      )}
    </div>
  );
}
