import type {
  CashRegisterRecord,
  EntitlementRecord,
  EventRecord,
  ParticipantRecord,
  PayableItemRecord,
  ReconciliationFlagRecord,
  SessionRecord,
  TransactionCancellationRecord,
  TransactionRecord,
} from '@makeplus/shared';
import { useMemo } from 'react';
import type { RxDocument } from 'rxdb';
import { useSession } from '../auth/session';
import { type DeviceStore, useDeviceStore, useLiveQuery } from '../sync/DeviceSync';
import type { LocalDoc } from '../sync/database';

const ALL = { selector: {} };

function plain<T>(docs: RxDocument<LocalDoc>[] | undefined): T[] | undefined {
  // `_data` is the stored document itself: no copy per record (100,000 participants re-read on each change).
  return docs?.map((d) => (d as unknown as { _data: T })._data);
}

/** Everything the cash desk reads, from this device's database (offline or not). */
export interface CashDeskData {
  store: DeviceStore;
  event: EventRecord | null;
  register: CashRegisterRecord | null;
  participants: ParticipantRecord[];
  items: PayableItemRecord[];
  sessions: SessionRecord[];
  transactions: TransactionRecord[];
  cancellations: TransactionCancellationRecord[];
  entitlements: EntitlementRecord[];
  flags: ReconciliationFlagRecord[];
  /** Still opening, or the first sync has not brought the register yet. */
  loading: boolean;
}

export function useCashDeskData(): CashDeskData | null {
  const store = useDeviceStore();
  const session = useSession();
  const events = useLiveQuery('events', ALL);
  const registers = useLiveQuery('cashRegisters', ALL);
  const participants = useLiveQuery('participants', ALL);
  const items = useLiveQuery('payableItems', ALL);
  const sessions = useLiveQuery('sessions', ALL);
  const transactions = useLiveQuery('transactions', ALL);
  const cancellations = useLiveQuery('transactionCancellations', ALL);
  const entitlements = useLiveQuery('entitlements', ALL);
  const flags = useLiveQuery('reconciliationFlags', ALL);
  const registerId = session?.cashRegister?.id;

  return useMemo(() => {
    if (!store) return null;
    const regs = plain<CashRegisterRecord>(registers) ?? [];
    const evs = plain<EventRecord>(events) ?? [];
    return {
      store,
      event: evs.find((e) => e.id === store.eventId) ?? null,
      register: regs.find((r) => r.id === registerId && !r.deleted) ?? null,
      participants: plain<ParticipantRecord>(participants) ?? [],
      items: plain<PayableItemRecord>(items) ?? [],
      sessions: plain<SessionRecord>(sessions) ?? [],
      transactions: plain<TransactionRecord>(transactions) ?? [],
      cancellations: plain<TransactionCancellationRecord>(cancellations) ?? [],
      entitlements: plain<EntitlementRecord>(entitlements) ?? [],
      flags: plain<ReconciliationFlagRecord>(flags) ?? [],
      loading:
        registers === undefined || participants === undefined || items === undefined || transactions === undefined,
    };
  }, [
    store,
    registerId,
    events,
    registers,
    participants,
    items,
    sessions,
    transactions,
    cancellations,
    entitlements,
    flags,
  ]);
}
