import { useEffect, useRef } from 'react';
import { formatRelative, useI18n } from '../i18n/i18n';
import { useReadAnnouncements } from './readAnnouncements';
import type { ParticipantData } from './useParticipantData';

/** Announcements for my audience, newest first; what was unread when I opened the tab is marked. */
export function NewsTab({ data, eventId }: { data: ParticipantData; eventId: string }) {
  const { t, lang } = useI18n();
  const { ids, markRead } = useReadAnnouncements(eventId);
  const unreadAtOpen = useRef<Set<string> | null>(null);
  if (unreadAtOpen.current === null && data.announcements.length)
    unreadAtOpen.current = new Set(data.announcements.filter((a) => !ids.has(a.id)).map((a) => a.id));
  const list = data.announcements;
  const all = list.map((a) => a.id).join(',');
  // Seen once shown: the unread count drops, the "Nouveau" marks stay for this visit.
  useEffect(() => {
    if (all) markRead(all.split(','));
  }, [all, markRead]);
  if (!list.length) return <p className="card muted">{t('me.news.empty')}</p>;
  return (
    <section aria-label={t('me.tab.news')}>
      <ul className="me-news">
        {list.map((a) => (
          <li key={a.id} className="card me-news__item">
            <h2>
              {a.title}
              {unreadAtOpen.current?.has(a.id) && <span className="me-tag me-tag--live">{t('me.news.new')}</span>}
            </h2>
            <p className="muted">
              {a.createdByName} · {formatRelative(lang, a.createdAt)}
            </p>
            <p className="me-news__body">{a.body}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
