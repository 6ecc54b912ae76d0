import { useState } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { PhoneLayout } from '../shell/PhoneLayout';
import './cashDesk.css';
import { useDeviceKey } from './deviceKey';
import { HistoryPanel } from './HistoryPanel';
import { RegisterPanel } from './RegisterPanel';
import { SalePanel } from './SalePanel';
import { useCashDeskData } from './useCashDeskData';

type Tab = 'sale' | 'history' | 'register';
const CASHIER_KEY = 'makeplus.cashDesk.cashierName';

/** The cash desk on a tablet: sell, history, register figures and closing. Works offline. */
export function CashierHome() {
  const { t } = useI18n();
  const session = useSession();
  const data = useCashDeskData();
  const [tab, setTab] = useState<Tab>('sale');
  const [cashierName, setCashierName] = useState(() => localStorage.getItem(CASHIER_KEY) ?? '');
  const registerName = session?.cashRegister?.name ?? '';
  const deviceKey = useDeviceKey(data?.store.eventId, data?.store.deviceId, registerName || 'Caisse');
  const who = cashierName.trim() || registerName;

  let body: React.ReactNode;
  if (!data || data.loading) body = <p className="muted">{t('cashDesk.loading')}</p>;
  else if (!data.register || !data.event) body = <p className="banner banner--warning">{t('cashDesk.noRegister')}</p>;
  else if (!data.register.isActive) body = <p className="banner banner--error">{t('cashDesk.inactive')}</p>;
  else if (tab === 'sale') body = <SalePanel data={data} deviceKey={deviceKey} cashierName={who} />;
  else if (tab === 'history') body = <HistoryPanel data={data} cashierName={who} />;
  else body = <RegisterPanel data={data} />;

  return (
    <PhoneLayout title={t('role.cashier')}>
      <div className="cash-desk">
        <div className="cash-head">
          <h1 className="page-title">{registerName}</h1>
          <div className="field cash-cashier">
            <label htmlFor="cashier-name">{t('cashDesk.cashierName')}</label>
            <input
              id="cashier-name"
              value={cashierName}
              placeholder={registerName}
              maxLength={200}
              onChange={(e) => {
                setCashierName(e.target.value);
                localStorage.setItem(CASHIER_KEY, e.target.value);
              }}
            />
          </div>
          <p
            className="cash-key muted"
            data-testid="device-key"
            data-enrolled={deviceKey.key?.enrolledAt ? 'yes' : 'no'}
          >
            {deviceKey.key?.enrolledAt
              ? t('cashDesk.key.enrolled')
              : deviceKey.error
                ? t('cashDesk.key.failed', { error: deviceKey.error })
                : t('cashDesk.key.pending')}
            {deviceKey.error && (
              <button type="button" className="btn btn--small" onClick={deviceKey.retry}>
                {t('cashDesk.key.retry')}
              </button>
            )}
          </p>
        </div>
        <nav className="cash-tabs" aria-label={t('cashDesk.tabs')}>
          {(['sale', 'history', 'register'] as const).map((k) => (
            <button
              key={k}
              type="button"
              className={`cash-tab${tab === k ? ' cash-tab--on' : ''}`}
              aria-pressed={tab === k}
              onClick={() => setTab(k)}
            >
              {t(`cashDesk.tab.${k}`)}
            </button>
          ))}
        </nav>
        {body}
      </div>
    </PhoneLayout>
  );
}
