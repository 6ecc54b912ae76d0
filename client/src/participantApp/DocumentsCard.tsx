import type { EventRecord } from '@makeplus/shared';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

const CACHE = 'makeplus-documents';

async function cached(url: string): Promise<Response | undefined> {
  if (!('caches' in window)) return undefined;
  return (await caches.open(CACHE)).match(url);
}

async function keep(url: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  await (await caches.open(CACHE)).put(url, res);
}

/**
 * The programme and guide PDFs: kept in the device's Cache Storage the first time they can be
 * fetched (automatically when online), then opened from there, so they read offline too.
 */
export function DocumentsCard({ event }: { event: EventRecord | null }) {
  const { t } = useI18n();
  const docs = [
    { key: 'programme', label: t('me.docs.programme'), url: event?.programmeUrl ?? null },
    { key: 'guide', label: t('me.docs.guide'), url: event?.guideUrl ?? null },
  ].filter((d): d is { key: string; label: string; url: string } => !!d.url);
  const [saved, setSaved] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const urls = docs.map((d) => d.url).join('\n');

  const refresh = useCallback(async () => {
    const out: Record<string, boolean> = {};
    for (const url of urls.split('\n').filter(Boolean)) out[url] = !!(await cached(url));
    setSaved(out);
  }, [urls]);

  useEffect(() => {
    void (async () => {
      await refresh();
      if (!navigator.onLine || !('caches' in window)) return;
      for (const url of urls.split('\n').filter(Boolean)) {
        if (!(await cached(url))) await keep(url).catch(() => {});
      }
      await refresh();
    })();
  }, [urls, refresh]);

  const open = async (url: string) => {
    setError(null);
    try {
      let res = await cached(url);
      if (!res) {
        if (!navigator.onLine) throw new Error(t('me.docs.notCached'));
        await keep(url);
        res = await cached(url);
        await refresh();
      }
      if (!res) throw new Error(t('me.docs.notCached'));
      const blobUrl = URL.createObjectURL(await res.blob());
      window.open(blobUrl, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
    } catch (err) {
      setError(t('me.docs.failed', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  if (!event) return null;
  return (
    <section className="card me-docs" aria-labelledby="docs-title">
      <h2 id="docs-title">{t('me.docs.title')}</h2>
      {docs.length === 0 ? (
        <p className="muted">{t('me.docs.none')}</p>
      ) : (
        <ul className="me-docs__list">
          {docs.map((d) => (
            <li key={d.key}>
              <button type="button" className="btn btn--block" onClick={() => void open(d.url)}>
                {d.label} · {t('me.docs.open')}
              </button>
              <span className="muted">{saved[d.url] ? `✓ ${t('me.docs.saved')}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
