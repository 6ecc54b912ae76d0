import { participantDisplayName } from '@makeplus/shared';
import { type ReactNode, useCallback, useState } from 'react';
import { useSession } from '../auth/session';
import { useDoorIndex, useDoorIndexVersion } from '../doorControl/useDoorIndex';
import { useI18n } from '../i18n/i18n';
import { ScannerInput, type ScanSuggestion } from '../scanning/ScannerInput';
import { PhoneLayout } from '../shell/PhoneLayout';
import { useDeviceStore } from '../sync/DeviceSync';
import { LeadEditor } from './LeadEditor';
import { LeadList } from './LeadList';
import { captureVisitor } from './leadCapture';
import { StandStatsPanel } from './StandStatsPanel';
import { useStandData } from './useStand';
import './leads.css';

type Tab = 'scan' | 'leads' | 'stats';
type Notice = { tone: 'ok' | 'repeat' | 'error'; text: string } | null;

/**
 * The exhibitor's stand app: scan a visitor's badge (offline; the name shows at once from the
 * device's own data), qualify the lead, browse and filter the stand's leads, see the stand's
 * statistics and export. Every write goes to the device first and syncs when it can.
 */
export function ExhibitorHome() {
  const { t } = useI18n();
  const session = useSession();
  const store = useDeviceStore();
  const index = useDoorIndex(store?.db);
  useDoorIndexVersion(index);
  const data = useStandData();
  const [tab, setTab] = useState<Tab>('scan');
  const [openLead, setOpenLead] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const stand = data.stand;

  const visitorOf = useCallback((id: string) => index?.participants.byId.get(id), [index]);

  const handleCode = useCallback(
    async (code: string) => {
      if (!store || !index || !stand) return;
      const { badge, participant } = index.resolve(code);
      if (badge.status === 'unreadable') return setNotice({ tone: 'error', text: t('leads.unreadable') });
      if (badge.status === 'forged') return setNotice({ tone: 'error', text: t('leads.forged') });
      if (!participant || participant.deleted) return setNotice({ tone: 'error', text: t('leads.unknownVisitor') });
      try {
        const capture = await captureVisitor(store, stand, participant, code, session?.user?.id ?? null);
        const name = participantDisplayName(participant);
        setNotice(
          capture.repeat
            ? { tone: 'repeat', text: t('leads.repeatVisit', { name, count: capture.visit }) }
            : { tone: 'ok', text: t('leads.newLead', { name }) },
        );
        setOpenLead(capture.leadId);
      } catch (err) {
        setNotice({
          tone: 'error',
          text: t('leads.saveFailed', { message: err instanceof Error ? err.message : String(err) }),
        });
      }
    },
    [store, index, stand, session, t],
  );

  const search = useCallback(
    (query: string): ScanSuggestion[] =>
      (index?.searchByName(query) ?? []).map((p) => ({
        key: p.id,
        label: participantDisplayName(p),
        detail: p.organization,
        code: p.badgeCode,
      })),
    [index],
  );

  const current = openLead ? data.leads.find((l) => l.lead.id === openLead) : undefined;

  let body: ReactNode;
  if (data.loading || !store) body = <p className="card muted">{t('leads.loadingStand')}</p>;
  else if (!stand) body = <p className="card banner banner--error">{t('leads.noStand')}</p>;
  else if (current)
    body = (
      <LeadEditor
        key={current.lead.id}
        doc={current.doc}
        lead={current.lead}
        stand={stand}
        visitor={visitorOf(current.lead.participantId)}
        visits={data.visitsByPerson.get(current.lead.participantId) ?? 1}
        onDone={() => setOpenLead(null)}
      />
    );
  else if (tab === 'scan')
    body = (
      <section aria-label={t('leads.tab.scan')}>
        <p className="muted">{t('leads.scanHint')}</p>
        <ScannerInput onCode={(c) => void handleCode(c)} search={search} />
      </section>
    );
  else if (tab === 'leads') body = <LeadList data={data} visitorOf={visitorOf} onOpen={setOpenLead} />;
  else body = <StandStatsPanel data={data} stand={stand} eventId={store.eventId} visitorOf={visitorOf} />;

  return (
    <PhoneLayout title={stand ? `${stand.name}${stand.stand ? ` · ${stand.stand}` : ''}` : t('role.exhibitor')}>
      {notice && (
        <p className={`lead-notice lead-notice--${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {body}
      <nav className="lead-tabs" aria-label={t('role.exhibitor')}>
        {(['scan', 'leads', 'stats'] as const).map((k) => (
          <button
            key={k}
            type="button"
            className="lead-tabs__tab"
            aria-current={tab === k && !current ? 'page' : undefined}
            onClick={() => {
              setOpenLead(null);
              setTab(k);
            }}
          >
            {t(`leads.tab.${k}`)}
          </button>
        ))}
      </nav>
    </PhoneLayout>
  );
}
