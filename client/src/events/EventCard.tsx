import { dynamicEventStatus, type EventStatus, eventStatuses } from '@makeplus/shared';
import type { EventSummary } from '../auth/session';
import { useI18n } from '../i18n/i18n';

/** The event as the device knows it from sign-in: name, dates, venue, status and the person's role. */
export function EventCard({ event, headingLevel = 2 }: { event: EventSummary; headingLevel?: 2 | 3 }) {
  const { t, dateRange } = useI18n();
  const status = liveStatus(event);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="card event-card" aria-label={t('event.cardLabel')}>
      <div className="event-card__swatch" style={{ background: event.primaryColor }} aria-hidden="true" />
      <div className="event-card__body">
        <Heading className="event-card__name">{event.name}</Heading>
        <dl className="facts">
          <div>
            <dt>{t('event.dates')}</dt>
            <dd>{dateRange(event.startsAt, event.endsAt)}</dd>
          </div>
          <div>
            <dt>{t('event.venue')}</dt>
            <dd>{event.venue || t('event.noVenue')}</dd>
          </div>
          <div>
            <dt>{t('event.status')}</dt>
            <dd>
              <span className={`pill pill--${status}`}>{t(`event.status.${status}`)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('event.yourRole')}</dt>
            <dd>{t(`role.${event.role}`)}</dd>
          </div>
        </dl>
      </div>
    </article>
  );
}

/** The status as of now (an upcoming event becomes active on its first day), as the server computes it. */
function liveStatus(event: EventSummary): EventStatus {
  const stored = (eventStatuses as readonly string[]).includes(event.status)
    ? (event.status as EventStatus)
    : 'upcoming';
  return dynamicEventStatus({ status: stored, startsAt: event.startsAt, endsAt: event.endsAt }, new Date());
}
