import {
  Component,
  type FormEvent,
  lazy,
  type ReactNode,
  Suspense,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useI18n } from '../i18n/i18n';
import { DuplicateFilter } from './duplicateFilter';
import { isEditable, WedgeBuffer } from './keyboardWedge';
import './scanning.css';

// The decoder is large: its own chunk, fetched as soon as a scanner is on screen (so a phone that
// goes offline before it first opens the camera still has it), rendered only with the camera.
const loadCamera = () => import('./CameraScanner');
const CameraScanner = lazy(() => loadCamera().then((m) => ({ default: m.CameraScanner })));

/** If the camera code cannot load or crashes, say so and keep the other inputs working. */
class CameraBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** A person found by name in manual entry; choosing it scans `code`. */
export interface ScanSuggestion {
  key: string;
  label: string;
  detail?: string;
  code: string;
}

export interface ScannerInputProps {
  /** Called once per badge read, whatever the input (camera, hardware scanner, typed). */
  onCode: (code: string) => void;
  /** Name search for manual entry (optional): the screen's own lookup over its local data. */
  search?: (query: string) => readonly ScanSuggestion[];
  /** Changing this forgets recent reads (e.g. the door changed room): the same badge counts again. */
  resetKey?: unknown;
  /** Repeat reads of one code within this window are ignored (camera and hardware scanner). */
  duplicateWindowMs?: number;
}

const CAMERA_PREF = 'makeplus.scanner.camera';

function cameraPreferred(): boolean {
  try {
    return localStorage.getItem(CAMERA_PREF) === 'on';
  } catch {
    return false;
  }
}

/**
 * Every way a badge reaches a screen, behind one callback:
 * - the camera (continuous; a badge held in view counts once),
 * - a hardware scanner in keyboard-wedge mode (it types the code and Enter, anywhere on the screen),
 * - manual entry of a code, or a name search when the screen provides one.
 */
export function ScannerInput({ onCode, search, resetKey, duplicateWindowMs = 3000 }: ScannerInputProps) {
  const { t } = useI18n();
  const [camera, setCamera] = useState(cameraPreferred);
  const [text, setText] = useState('');
  const inputId = useId();
  const filter = useMemo(() => new DuplicateFilter(duplicateWindowMs), [duplicateWindowMs]);
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    void loadCamera().catch(() => {});
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `resetKey` is the trigger
  useEffect(() => filter.reset(), [filter, resetKey]);

  // Keyboard wedge: keystrokes outside text fields, typed at scanner speed, ending with Enter.
  useEffect(() => {
    const wedge = new WedgeBuffer();
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      const ending = e.key === 'Enter' || e.key === 'Tab';
      const wasPending = wedge.pending;
      const code = wedge.key(e.key, e.timeStamp || performance.now());
      if (ending && wasPending) e.preventDefault();
      if (code && filter.accept(code)) handler.current(code);
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [filter]);

  const toggleCamera = () => {
    const next = !camera;
    setCamera(next);
    try {
      localStorage.setItem(CAMERA_PREF, next ? 'on' : 'off');
    } catch {}
  };

  const query = text.trim();
  const suggestions = useMemo(
    () => (search && query.length >= 2 && /\p{L}/u.test(query) ? search(query).slice(0, 8) : []),
    [search, query],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!query) return;
    setText('');
    handler.current(query);
  };

  return (
    <section className="scanner" aria-label={t('scanner.title')}>
      {camera && (
        <CameraBoundary
          fallback={
            <p className="camera__note camera__note--error" role="alert">
              {t('scanner.camera.failed')}
            </p>
          }
        >
          <Suspense fallback={<p className="camera__note">{t('scanner.camera.starting')}</p>}>
            <CameraScanner
              onDecoded={(code) => {
                const trimmed = code.trim();
                if (trimmed && filter.accept(trimmed)) handler.current(trimmed);
              }}
            />
          </Suspense>
        </CameraBoundary>
      )}
      <button type="button" className="btn btn--block scanner__camera-toggle" onClick={toggleCamera}>
        {camera ? t('scanner.camera.stop') : t('scanner.camera.start')}
      </button>
      <form className="scanner__manual" onSubmit={submit}>
        <label htmlFor={inputId}>{search ? t('scanner.manual.labelWithSearch') : t('scanner.manual.label')}</label>
        <div className="scanner__manual-row">
          <input
            id={inputId}
            type="text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            enterKeyHint="go"
            placeholder={t('scanner.manual.placeholder')}
          />
          <button type="submit" className="btn btn--primary">
            {t('scanner.manual.submit')}
          </button>
        </div>
        {suggestions.length > 0 && (
          <ul className="scanner__suggestions" aria-label={t('scanner.manual.suggestions')}>
            {suggestions.map((s) => (
              <li key={s.key}>
                <button
                  type="button"
                  className="scanner__suggestion"
                  onClick={() => {
                    setText('');
                    handler.current(s.code);
                  }}
                >
                  <span className="scanner__suggestion-name">{s.label}</span>
                  {s.detail && <span className="scanner__suggestion-detail">{s.detail}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
        {search && query.length >= 2 && /\p{L}/u.test(query) && suggestions.length === 0 && (
          <p className="muted scanner__hint">{t('scanner.manual.noMatch')}</p>
        )}
      </form>
      <p className="muted scanner__hint">{t('scanner.wedgeHint')}</p>
    </section>
  );
}
