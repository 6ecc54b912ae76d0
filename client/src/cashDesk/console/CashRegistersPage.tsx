import {
  type CashRegisterRecord,
  formatMoney,
  minorToDecimalString,
  type PayableItemKind,
  type PayableItemRecord,
  parseTypedAmount,
  payableItemCreateInput,
  payableItemEditIssues,
  payableItemKinds,
  type RegisterStatistics,
} from '@makeplus/shared';
import { useEffect, useMemo, useState } from 'react';
import type { RxDocument } from 'rxdb';
import { describeError } from '../../api/describeError';
import { useSession } from '../../auth/session';
import { schemaFieldErrors } from '../../forms/fieldErrors';
import { type PlainMessageKey, useI18n } from '../../i18n/i18n';
import { type Column, DataTable } from '../../organizer/DataTable';
import { matchesQuery, useLocalRecords } from '../../organizer/localRecords';
import {
  ActiveFilter,
  type ActiveFilterValue,
  ErrorLine,
  LoadFailed,
  Notice,
  SearchField,
} from '../../organizer/PageParts';
import { type FieldErrors, FormField, SubmitDialog } from '../../organizer/SubmitDialog';
import '../../organizer/organizer.css';
import { Dialog } from '../../shell/Dialog';
import { type DeviceStore, useDeviceStore } from '../../sync/DeviceSync';
import type { LocalDoc } from '../../sync/database';
import { createRecord, editRecord } from '../../sync/localWrites';
import { useSyncStatus } from '../../sync/status';
import { createRegister, type ItemInput, registerStatistics, updateRegister } from './consoleApi';

type Stats =
  | { state: 'loading' }
  | { state: 'ready'; byId: Map<string, RegisterStatistics> }
  | { state: 'failed'; error: unknown };
type Translate = ReturnType<typeof useI18n>['t'];
type SellableKind = Exclude<PayableItemKind, 'session'>;
/** `items.kind.other` would read as a plural form in the catalogue: « other » is `misc` there. */
const kindLabel: Record<PayableItemKind, PlainMessageKey> = {
  session: 'items.kind.session',
  dinner: 'items.kind.dinner',
  access: 'items.kind.access',
  other: 'items.kind.misc',
};
const sellableKinds = payableItemKinds.filter((k): k is SellableKind => k !== 'session');

/**
 * Organizer › Cash registers: the registers (their own logins), their figures from the server, and
 * the items on sale with their prices (integer minor units; typed as people write them).
 */
export function CashRegistersPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const session = useSession();
  const eventId = session?.event?.id ?? '';
  const currency = useLocalRecords('events').records?.[0]?.currency ?? 'DZD';
  const money = (minor: number) => formatMoney(minor, currency, lang === 'fr' ? 'fr-FR' : 'en');
  const { records: registers, docOf: registerDoc } = useLocalRecords('cashRegisters');
  const { records: items, docOf: itemDoc } = useLocalRecords('payableItems');
  const store = useDeviceStore();
  const { online } = useSyncStatus();
  const [stats, setStats] = useState<Stats>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<
    | { kind: 'register'; register?: CashRegisterRecord }
    | { kind: 'item'; item?: PayableItemRecord }
    | { kind: 'stats'; register: CashRegisterRecord }
    | null
  >(null);

  // Registers change (a sale synced, a register added): refresh the figures.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey and the registers ask for fresh figures
  useEffect(() => {
    if (!eventId) return;
    const controller = new AbortController();
    registerStatistics(eventId, controller.signal)
      .then((list) => setStats({ state: 'ready', byId: new Map(list.map((s) => [s.cashRegisterId, s])) }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setStats({ state: 'failed', error: err });
      });
    return () => controller.abort();
  }, [eventId, reloadKey, registers]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await work();
      setNotice(done);
    } catch (err) {
      setError(describeError(err, i18n));
    }
  };

  const statOf = (id: string) => (stats.state === 'ready' ? stats.byId.get(id) : undefined);
  const registerColumns: Column<CashRegisterRecord>[] = [
    {
      key: 'name',
      label: t('registers.field.name'),
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => (
        <span style={{ overflowWrap: 'anywhere' }}>
          {r.name}
          <span className="cell-sub">{r.email}</span>
        </span>
      ),
    },
    {
      key: 'prefix',
      label: t('registers.field.prefix'),
      sortValue: (r) => r.receiptPrefix,
      render: (r) => r.receiptPrefix,
    },
    {
      key: 'sales',
      label: t('registers.field.sales'),
      numeric: true,
      sortValue: (r) => statOf(r.id)?.summary.completedCount ?? -1,
      render: (r) => {
        const s = statOf(r.id);
        return s ? i18n.number(s.summary.completedCount) : '—';
      },
    },
    {
      key: 'revenue',
      label: t('registers.field.revenue'),
      numeric: true,
      sortValue: (r) => statOf(r.id)?.summary.completedMinor ?? -1,
      render: (r) => {
        const s = statOf(r.id);
        return s ? money(s.summary.completedMinor) : '—';
      },
    },
    {
      key: 'cash',
      label: t('registers.field.expectedCash'),
      numeric: true,
      sortValue: (r) => statOf(r.id)?.summary.expectedCashMinor ?? -1,
      render: (r) => {
        const s = statOf(r.id);
        return s ? money(s.summary.expectedCashMinor) : '—';
      },
    },
    {
      key: 'status',
      label: t('registers.field.status'),
      sortValue: (r) => r.isActive,
      render: (r) => (
        <span className={`pill ${r.isActive ? 'pill--active' : 'pill--muted'}`}>
          {r.isActive ? t('registers.active') : t('registers.inactive')}
        </span>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('registers.title')}</h1>
          <p className="muted">{t('registers.explain')}</p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'item' })}>
            <span aria-hidden="true">+</span> {t('items.new')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => setDialog({ kind: 'register' })}
            disabled={!online}
            aria-describedby={online ? undefined : 'registers-new-offline'}
          >
            <span aria-hidden="true">+</span> {t('registers.new')}
          </button>
        </div>
      </div>
      {!online && (
        <p id="registers-new-offline" className="notice" role="status">
          {t('registers.newNeedsNetwork')}
        </p>
      )}
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorLine text={error} />

      <section aria-labelledby="registers-list">
        <h2 id="registers-list">{t('registers.list')}</h2>
        {stats.state === 'failed' && (
          <LoadFailed
            lead={t('registers.statsFailed')}
            error={stats.error}
            onRetry={() => setReloadKey((k) => k + 1)}
          />
        )}
        <FilteredTable
          caption={t('registers.list')}
          rows={registers}
          columns={registerColumns}
          text={(r) => [r.name, r.email, r.receiptPrefix]}
          active={(r) => r.isActive}
          searchLabel={t('registers.search')}
          empty={t('registers.empty')}
          actions={(r) => (
            <>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => setDialog({ kind: 'stats', register: r })}
                aria-label={t('registers.statsNamed', { name: r.name })}
              >
                {t('registers.stats')}
              </button>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => setDialog({ kind: 'register', register: r })}
                aria-label={t('registers.editNamed', { name: r.name })}
              >
                {t('common.edit')}
              </button>
              <button
                type="button"
                className={r.isActive ? 'btn btn--small btn--danger-outline' : 'btn btn--small'}
                aria-label={t(r.isActive ? 'registers.deactivateNamed' : 'registers.activateNamed', { name: r.name })}
                onClick={() =>
                  void act(
                    () => editRegisterLocally(t, store, registerDoc(r.id), { isActive: !r.isActive }),
                    t(r.isActive ? 'registers.deactivated' : 'registers.activated', { name: r.name }),
                  )
                }
              >
                {r.isActive ? t('registers.deactivate') : t('registers.activate')}
              </button>
            </>
          )}
        />
      </section>

      <ItemsSection
        items={items}
        money={money}
        onEdit={(item) => setDialog({ kind: 'item', item })}
        onToggle={(item) =>
          void act(
            () =>
              saveItemLocally(t, store, item, itemDoc(item.id), {
                name: item.name,
                description: item.description,
                kind: item.kind as SellableKind,
                priceMinor: item.priceMinor,
                isActive: !item.isActive,
              }),
            t(item.isActive ? 'items.deactivated' : 'items.activated', { name: item.name }),
          )
        }
      />

      {dialog?.kind === 'register' && (
        <RegisterDialog
          eventId={eventId}
          store={store}
          online={online}
          {...(dialog.register ? { doc: registerDoc(dialog.register.id) } : {})}
          {...(dialog.register ? { register: dialog.register } : {})}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            setNotice(t(dialog.register ? 'registers.saved' : 'registers.created', { name: r.name }));
          }}
        />
      )}
      {dialog?.kind === 'item' && (
        <ItemDialog
          store={store}
          currency={currency}
          {...(dialog.item ? { doc: itemDoc(dialog.item.id) } : {})}
          {...(dialog.item ? { item: dialog.item } : {})}
          onClose={() => setDialog(null)}
          onDone={(item) => {
            setDialog(null);
            setNotice(
              t(dialog.item ? 'items.saved' : 'items.created', { name: item.name, price: money(item.priceMinor) }),
            );
          }}
        />
      )}
      {dialog?.kind === 'stats' && (
        <StatsDialog
          register={dialog.register}
          stats={statOf(dialog.register.id)}
          money={money}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}

/** A DataTable with its search box and an active/inactive filter (registers and items alike). */
function FilteredTable<T extends { id: string }>({
  caption,
  rows,
  columns,
  text,
  active,
  searchLabel,
  empty,
  actions,
  extraFilter,
}: {
  caption: string;
  rows: T[] | undefined;
  columns: Column<T>[];
  text: (row: T) => (string | null | undefined)[];
  active: (row: T) => boolean;
  searchLabel: string;
  empty: string;
  actions: (row: T) => React.ReactNode;
  extraFilter?: {
    label: string;
    options: { value: string; label: string }[];
    test: (row: T, value: string) => boolean;
  };
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ActiveFilterValue>('');
  const [extra, setExtra] = useState('');
  const filtered = useMemo(
    () =>
      (rows ?? []).filter(
        (r) =>
          (!status || (status === 'active') === active(r)) &&
          (!extra || !extraFilter || extraFilter.test(r, extra)) &&
          matchesQuery(q, ...text(r)),
      ),
    [rows, q, status, extra, active, text, extraFilter],
  );
  if (rows === undefined) return <p className="muted">{t('common.loading')}</p>;
  return (
    <>
      <div className="toolbar toolbar--wrap">
        <SearchField label={searchLabel} value={q} onChange={setQ} />
        {extraFilter && (
          <select aria-label={extraFilter.label} value={extra} onChange={(e) => setExtra(e.target.value)}>
            <option value="">{t('registers.anyKind')}</option>
            {extraFilter.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
        <ActiveFilter
          label={t('registers.field.status')}
          value={status}
          onChange={setStatus}
          any={t('registers.anyStatus')}
          active={t('registers.active')}
          inactive={t('registers.inactive')}
        />
      </div>
      <DataTable
        caption={caption}
        rows={filtered}
        columns={columns}
        rowKey={(r) => r.id}
        initialSort={{ key: 'name', dir: 'asc' }}
        resetKey={`${q}|${status}|${extra}`}
        empty={<p>{rows.length ? t('registers.noMatch') : empty}</p>}
        actions={actions}
      />
    </>
  );
}

function ItemsSection({
  items,
  money,
  onEdit,
  onToggle,
}: {
  items: PayableItemRecord[] | undefined;
  money: (minor: number) => string;
  onEdit: (item: PayableItemRecord) => void;
  onToggle: (item: PayableItemRecord) => void;
}) {
  const { t } = useI18n();
  const columns: Column<PayableItemRecord>[] = [
    { key: 'name', label: t('items.field.name'), rowHeader: true, sortValue: (i) => i.name, render: (i) => i.name },
    { key: 'kind', label: t('items.field.kind'), sortValue: (i) => i.kind, render: (i) => t(kindLabel[i.kind]) },
    {
      key: 'price',
      label: t('items.field.price'),
      numeric: true,
      sortValue: (i) => i.priceMinor,
      render: (i) => money(i.priceMinor),
    },
    {
      key: 'status',
      label: t('registers.field.status'),
      sortValue: (i) => i.isActive,
      render: (i) => (
        <span className={`pill ${i.isActive ? 'pill--active' : 'pill--muted'}`}>
          {i.isActive ? t('items.onSale') : t('items.offSale')}
        </span>
      ),
    },
  ];
  return (
    <section aria-labelledby="items-list">
      <h2 id="items-list">{t('items.title')}</h2>
      <p className="muted">{t('items.workshopsExplain')}</p>
      <FilteredTable
        caption={t('items.title')}
        rows={items}
        columns={columns}
        text={(i) => [i.name, i.description]}
        active={(i) => i.isActive}
        searchLabel={t('items.search')}
        empty={t('items.empty')}
        extraFilter={{
          label: t('items.field.kind'),
          options: payableItemKinds.map((k) => ({ value: k, label: t(kindLabel[k]) })),
          test: (i, v) => i.kind === v,
        }}
        actions={(i) =>
          i.sessionId ? (
            <span className="muted">{t('items.viaSession')}</span>
          ) : (
            <>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => onEdit(i)}
                aria-label={t('items.editNamed', { name: i.name })}
              >
                {t('common.edit')}
              </button>
              <button
                type="button"
                className={i.isActive ? 'btn btn--small btn--danger-outline' : 'btn btn--small'}
                onClick={() => onToggle(i)}
                aria-label={t(i.isActive ? 'items.deactivateNamed' : 'items.activateNamed', { name: i.name })}
              >
                {i.isActive ? t('items.deactivate') : t('items.activate')}
              </button>
            </>
          )
        }
      />
    </section>
  );
}

function RegisterDialog({
  eventId,
  store,
  online,
  register,
  doc,
  onClose,
  onDone,
}: {
  eventId: string;
  store: DeviceStore | null;
  online: boolean;
  register?: CashRegisterRecord;
  doc?: RxDocument<LocalDoc> | undefined;
  onClose: () => void;
  onDone: (r: CashRegisterRecord) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(register?.name ?? '');
  const [email, setEmail] = useState(register?.email ?? '');
  const [password, setPassword] = useState('');
  const [prefix, setPrefix] = useState('');
  return (
    <SubmitDialog
      title={register ? t('registers.editTitle', { name: register.name }) : t('registers.createTitle')}
      submitLabel={register ? t('common.save') : t('registers.create')}
      onClose={onClose}
      check={(): FieldErrors => {
        if (!register) return password.length < 8 ? { password: t('registers.passwordHint') } : {};
        // A login (email, password) is changed on the server; the name works offline too.
        if (online) return {};
        const errors: FieldErrors = {};
        if (email !== register.email) errors.email = t('registers.loginNeedsNetwork');
        if (password) errors.password = t('registers.loginNeedsNetwork');
        return errors;
      }}
      onSubmit={async () => {
        if (register) {
          const login: Record<string, string> = {};
          if (email !== register.email) login.email = email;
          if (password) login.password = password;
          // A new sign-in goes to the server (with the name, in the same revision); a new name
          // alone is written on this computer and syncs, offline too.
          if (Object.keys(login).length)
            onDone(await updateRegister(eventId, register, name !== register.name ? { ...login, name } : login));
          else if (name !== register.name) onDone(await editRegisterLocally(t, store, doc, { name }));
          else onDone(register);
        } else {
          onDone(
            await createRegister(eventId, {
              name,
              email,
              password,
              ...(prefix.trim() ? { receiptPrefix: prefix.trim().toUpperCase() } : {}),
            }),
          );
        }
      }}
      size="wide"
    >
      {(errors, ids) => (
        <>
          <FormField ids={ids('name')} label={t('registers.field.name')} error={errors.name} required wide>
            <input {...ids('name')} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          </FormField>
          <FormField
            ids={ids('email')}
            label={t('registers.field.email')}
            error={errors.email}
            hint={t('registers.emailHint')}
            required
          >
            <input
              {...ids('email')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="off"
            />
          </FormField>
          <FormField
            ids={ids('password')}
            label={register ? t('registers.field.newPassword') : t('registers.field.password')}
            error={errors.password}
            hint={t('registers.passwordHint')}
            required={!register}
          >
            <input
              {...ids('password')}
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="new-password"
            />
          </FormField>
          {!register && (
            <FormField
              ids={ids('receiptPrefix')}
              label={t('registers.field.prefix')}
              error={errors.receiptPrefix}
              hint={t('registers.prefixHint')}
            >
              <input
                {...ids('receiptPrefix')}
                value={prefix}
                maxLength={8}
                onChange={(e) => setPrefix(e.target.value)}
                autoComplete="off"
              />
            </FormField>
          )}
        </>
      )}
    </SubmitDialog>
  );
}

function ItemDialog({
  store,
  currency,
  item,
  doc,
  onClose,
  onDone,
}: {
  store: DeviceStore | null;
  currency: string;
  item?: PayableItemRecord;
  doc?: RxDocument<LocalDoc> | undefined;
  onClose: () => void;
  onDone: (item: PayableItemRecord) => void;
}) {
  const { t, lang } = useI18n();
  const [name, setName] = useState(item?.name ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [kind, setKind] = useState<SellableKind>(item && item.kind !== 'session' ? item.kind : 'dinner');
  const [price, setPrice] = useState(item ? minorToDecimalString(item.priceMinor, currency).replace('.', ',') : '');
  const [active, setActive] = useState(item?.isActive ?? true);
  const input = (): ItemInput => ({
    name,
    description,
    kind,
    priceMinor: parseTypedAmount(price, currency) ?? -1,
    isActive: active,
  });
  return (
    <SubmitDialog
      title={item ? t('items.editTitle', { name: item.name }) : t('items.createTitle')}
      submitLabel={item ? t('common.save') : t('items.create')}
      onClose={onClose}
      schema={payableItemCreateInput}
      sent={input}
      check={(): FieldErrors =>
        parseTypedAmount(price, currency) === null
          ? { priceMinor: t('items.priceInvalid') }
          : // Written on this computer: the shared schema (the server's) is checked here, field by field.
            schemaFieldErrors(payableItemCreateInput, input(), lang)
      }
      onSubmit={async () => onDone(await saveItemLocally(t, store, item ?? null, doc, input()))}
      size="wide"
    >
      {(errors, ids) => (
        <>
          <FormField ids={ids('name')} label={t('items.field.name')} error={errors.name} required wide>
            <input {...ids('name')} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
          </FormField>
          <FormField ids={ids('kind')} label={t('items.field.kind')} error={errors.kind}>
            <select {...ids('kind')} value={kind} onChange={(e) => setKind(e.target.value as SellableKind)}>
              {sellableKinds.map((k) => (
                <option key={k} value={k}>
                  {t(kindLabel[k])}
                </option>
              ))}
            </select>
          </FormField>
          <FormField
            ids={ids('priceMinor')}
            label={t('items.field.priceIn', { currency })}
            error={errors.priceMinor}
            hint={t('items.priceHint')}
            required
          >
            <input
              {...ids('priceMinor')}
              inputMode="decimal"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
              autoComplete="off"
            />
          </FormField>
          <FormField ids={ids('description')} label={t('items.field.description')} error={errors.description} wide>
            <textarea
              {...ids('description')}
              rows={3}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </FormField>
          <div className="field field--check form--span">
            <input
              {...ids('isActive')}
              type="checkbox"
              checked={active}
              onChange={(e) => setActive(e.target.checked)}
            />
            <label htmlFor={ids('isActive').id}>{t('items.field.onSale')}</label>
          </div>
        </>
      )}
    </SubmitDialog>
  );
}

function StatsDialog({
  register,
  stats,
  money,
  onClose,
}: {
  register: CashRegisterRecord;
  stats: RegisterStatistics | undefined;
  money: (minor: number) => string;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, number } = i18n;
  const s = stats?.summary;
  return (
    <Dialog title={t('registers.statsTitle', { name: register.name })} onClose={onClose} size="wide">
      {!stats || !s ? (
        <p className="muted">{t('registers.statsUnavailable')}</p>
      ) : (
        <>
          <div className="stat-grid">
            <div className="stat">
              <span className="stat__value">{number(s.completedCount)}</span>
              <span className="stat__label">{t('registers.field.sales')}</span>
            </div>
            <div className="stat">
              <span className="stat__value">{money(s.completedMinor)}</span>
              <span className="stat__label">{t('registers.field.revenue')}</span>
            </div>
            <div className="stat">
              <span className="stat__value">{money(s.expectedCashMinor)}</span>
              <span className="stat__label">{t('registers.field.expectedCash')}</span>
            </div>
            <div className="stat">
              <span className="stat__value">{money(s.nonCashMinor)}</span>
              <span className="stat__label">{t('registers.nonCash')}</span>
            </div>
            <div className="stat">
              <span className="stat__value">{number(s.cancelledCount)}</span>
              <span className="stat__label">{t('registers.cancelled', { amount: money(s.cancelledMinor) })}</span>
            </div>
          </div>
          <p className="muted">
            {stats.firstSaleAt && stats.lastSaleAt
              ? t('registers.salesBetween', {
                  first: i18n.dateTime(stats.firstSaleAt),
                  last: i18n.dateTime(stats.lastSaleAt),
                })
              : t('registers.noSales')}
          </p>
          {stats.missingReceipts.length > 0 && (
            <p className="notice">{t('registers.missingReceipts', { list: stats.missingReceipts.join(', ') })}</p>
          )}
          {stats.duplicateReceipts.length > 0 && (
            <p className="notice">{t('registers.duplicateReceipts', { list: stats.duplicateReceipts.join(', ') })}</p>
          )}
          <h3>{t('registers.byItem')}</h3>
          <DataTable
            caption={t('registers.byItem')}
            rows={s.byItem}
            rowKey={(r) => r.payableItemId}
            initialSort={{ key: 'total', dir: 'desc' }}
            empty={<p>{t('registers.noSales')}</p>}
            columns={[
              {
                key: 'name',
                label: t('items.field.name'),
                rowHeader: true,
                sortValue: (r) => r.name,
                render: (r) => r.name,
              },
              {
                key: 'qty',
                label: t('registers.quantity'),
                numeric: true,
                sortValue: (r) => r.quantity,
                render: (r) => number(r.quantity),
              },
              {
                key: 'total',
                label: t('registers.field.revenue'),
                numeric: true,
                sortValue: (r) => r.totalMinor,
                render: (r) => money(r.totalMinor),
              },
            ]}
          />
          <h3>{t('registers.byMethod')}</h3>
          <ul>
            {(['cash', 'bank_transfer', 'mixed'] as const).map((m) => (
              <li key={m}>
                {t(`registers.method.${m}`)} : {number(s.byMethod[m].count)} · {money(s.byMethod[m].totalMinor)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

/**
 * Items are written on this computer and sync (offline too), like rooms. The rule the server applies
 * to every synced write is checked first, so a refused edit is said here rather than after sync.
 */
async function saveItemLocally(
  t: Translate,
  store: DeviceStore | null,
  item: PayableItemRecord | null,
  doc: RxDocument<LocalDoc> | undefined,
  input: ItemInput,
): Promise<PayableItemRecord> {
  if (!store) throw new Error(t('console.notReady'));
  const fields = payableItemCreateInput.parse(input);
  const issues = payableItemEditIssues(item, { ...fields, deleted: false });
  if (issues[0]) throw new Error(issues[0].reason);
  if (!item) return createRecord(store, 'payableItems', { ...fields, legacyId: 0 });
  if (!doc) throw new Error(t('items.gone'));
  return editRecord(store, 'payableItems', doc, fields);
}

/** A register's name and whether it is active are written on this computer and sync (offline too). */
async function editRegisterLocally(
  t: Translate,
  store: DeviceStore | null,
  doc: RxDocument<LocalDoc> | undefined,
  patch: Partial<Pick<CashRegisterRecord, 'name' | 'isActive'>>,
): Promise<CashRegisterRecord> {
  if (!store) throw new Error(t('console.notReady'));
  if (!doc) throw new Error(t('registers.gone'));
  return editRecord(store, 'cashRegisters', doc, patch);
}
