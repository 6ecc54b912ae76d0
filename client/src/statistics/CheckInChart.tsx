import type { EventDashboard } from '@makeplus/shared';
import { useI18n } from '../i18n/i18n';

const W = 640;
const H = 220;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/**
 * Check-ins over time, drawn in plain SVG: bars for arrivals per interval, a line for the running
 * total. One chart with two series does not justify a charting library (tens of kB in a PWA that
 * must load offline); SVG scales, prints, and the numbers are also given as text for screen readers.
 */
export function CheckInChart({ curve }: { curve: EventDashboard['checkIns'] }) {
  const { t, number, lang } = useI18n();
  const { points } = curve;
  const dateTime = zoneDateTime(lang, curve.timeZone);
  if (points.length === 0) return <p className="muted">{t('run.chart.empty')}</p>;
  const total = points.at(-1)?.cumulative ?? 0;
  const maxBar = Math.max(1, ...points.map((p) => p.count));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / points.length;
  const barW = Math.max(1, step * 0.7);
  const y = (v: number, max: number) => PAD.top + plotH - (v / max) * plotH;
  const line = points
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${(PAD.left + step * (i + 0.5)).toFixed(1)},${y(p.cumulative, Math.max(1, total)).toFixed(1)}`,
    )
    .join(' ');
  const first = points[0];
  const last = points.at(-1);
  const peak = points.reduce((a, b) => (b.count > a.count ? b : a));
  const summary = t('run.chart.summary', {
    total: number(total),
    peak: number(peak.count),
    at: dateTime(peak.at),
    minutes: number(curve.bucketMinutes),
  });
  return (
    <figure className="checkin-chart">
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={summary}>
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="chart__grid" />
        {points.map((p, i) => (
          <rect
            key={p.at}
            className="bar"
            x={PAD.left + step * i + (step - barW) / 2}
            y={y(p.count, maxBar)}
            width={barW}
            height={Math.max(0, PAD.top + plotH - y(p.count, maxBar))}
          >
            <title>
              {dateTime(p.at)} : {number(p.count)}
            </title>
          </rect>
        ))}
        <path d={line} className="chart__line" fill="none" />
        <text x={PAD.left - 6} y={PAD.top + 8} className="axis" textAnchor="end">
          {number(maxBar)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} className="axis" textAnchor="end">
          0
        </text>
        {first && (
          <text x={PAD.left} y={H - 8} className="axis">
            {dateTime(first.at)}
          </text>
        )}
        {last && last !== first && (
          <text x={W - PAD.right} y={H - 8} className="axis" textAnchor="end">
            {dateTime(last.at)}
          </text>
        )}
      </svg>
      <figcaption className="muted">
        <span className="legend legend--bar" aria-hidden="true" />{' '}
        {t('run.chart.perInterval', { minutes: number(curve.bucketMinutes) })}
        {' · '}
        <span className="legend legend--line" aria-hidden="true" />{' '}
        {t('run.chart.cumulative', { total: number(total) })}
      </figcaption>
    </figure>
  );
}

/**
 * Bucket times on the event's clock (the server's buckets start on it), whatever this computer's
 * zone; a dashboard cached before the server said its zone reads in the computer's.
 */
export function zoneDateTime(lang: string, timeZone: string | undefined): (iso: string) => string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      ...(timeZone ? { timeZone } : {}),
    });
  } catch {
    format = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  }
  return (iso) => format.format(new Date(iso));
}
