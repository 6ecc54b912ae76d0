import {
  assignmentIsCurrent,
  type EventRole,
  isActiveOrganizer,
  leavesNoOrganizer,
  type MembershipRecord,
  membershipCreateInput,
  membershipEditIssues,
  type RoomAssignmentRecord,
  roomAssignmentCreateInput,
  roomAssignmentRoles,
  staffRoles,
} from '@makeplus/shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RxDocument } from 'rxdb';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { type Column, DataTable } from '../organizer/DataTable';
import { matchesQuery, useLocalRecords } from '../organizer/localRecords';
import {
  ActiveFilter,
  type ActiveFilterValue,
  ErrorLine,
  LoadFailed,
  Notice,
  SearchField,
} from '../organizer/PageParts';
import { FormField, SubmitDialog } from '../organizer/SubmitDialog';
import '../organizer/organizer.css';
import { fromLocalInput, toLocalInput } from '../sessions/sessionTimes';
import { type DeviceStore, useDeviceStore } from '../sync/DeviceSync';
import type { LocalDoc } from '../sync/database';
import { editRecord } from '../sync/localWrites';
import { useSyncStatus } from '../sync/status';
import { createAssignment, deleteAssignment, inviteStaff, listAssignments, setAssignmentActive } from './staffApi';

const personName = (m: Pick<MembershipRecord, 'userFirstName' | 'userLastName' | 'userEmail'>) =>
  `${m.userFirstName} ${m.userLastName}`.trim() || m.userEmail;

type SlotState = 'current' | 'upcoming' | 'past' | 'inactive';
function slotState(a: RoomAssignmentRecord, now: number): SlotState {
  if (!a.isActive) return 'inactive';
  if (assignmentIsCurrent(a, now)) return 'current';
  return Date.parse(a.startsAt) > now ? 'upcoming' : 'past';
}
const slotPill: Record<SlotState, string> = {
  current: 'pill--active',
  upcoming: 'pill--upcoming',
  past: 'pill--muted',
  inactive: 'pill--cancelled',
};

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; items: RoomAssignmentRecord[] }
  | { state: 'failed'; error: unknown };

/**
 * Organizer › Staff: the team (from this device, readable offline), invitations by email, a role
 * per event, deactivation; and who works in which room when (room assignments, current ones marked).
 */
export function StaffPage() {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const session = useSession();
  const eventId = session?.event?.id ?? '';
  const { records: memberships, docOf: memberDoc } = useLocalRecords('memberships');
  const { records: rooms } = useLocalRecords('rooms');
  const store = useDeviceStore();
  const { online } = useSyncStatus();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<EventRole | ''>('');
  const [status, setStatus] = useState<ActiveFilterValue>('');
  const [dialog, setDialog] = useState<
    { kind: 'invite' } | { kind: 'edit'; member: MembershipRecord } | { kind: 'assign' } | null
  >(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [reloadKey, setReloadKey] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey asks for a fresh copy
  useEffect(() => {
    if (!eventId) return;
    const controller = new AbortController();
    listAssignments(eventId, controller.signal)
      .then((items) => setLoaded({ state: 'ready', items }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoaded({ state: 'failed', error });
      });
    return () => controller.abort();
  }, [eventId, reloadKey]);
  const reloadAssignments = useCallback(() => setReloadKey((k) => k + 1), []);

  const team = useMemo(() => (memberships ?? []).filter((m) => staffRoles.includes(m.role)), [memberships]);
  const roomName = useMemo(() => new Map((rooms ?? []).map((r) => [r.id, r.name])), [rooms]);
  const memberOf = useMemo(() => new Map(team.map((m) => [m.userId, m])), [team]);
  const assignments = loaded.state === 'ready' ? loaded.items : [];
  const currentRoomOf = useMemo(() => {
    const map = new Map<string, string>();
    for (const a of assignments) if (assignmentIsCurrent(a, now)) map.set(a.userId, a.roomId);
    return map;
  }, [assignments, now]);

  const filtered = useMemo(
    () =>
      team.filter(
        (m) =>
          (!role || m.role === role) &&
          (!status || (status === 'active') === m.isActive) &&
          matchesQuery(q, m.userFirstName, m.userLastName, m.userEmail),
      ),
    [team, q, role, status],
  );

  const toggleActive = async (m: MembershipRecord) => {
    setRowError(null);
    try {
      await saveMembershipLocally(t, store, memberships ?? [], m, memberDoc(m.id), { isActive: !m.isActive });
      setNotice(t(m.isActive ? 'staff.deactivated' : 'staff.reactivated', { name: personName(m) }));
    } catch (err) {
      setRowError(describeError(err, i18n));
    }
  };

  const columns = useMemo<Column<MembershipRecord>[]>(
    () => [
      {
        key: 'name',
        label: t('staff.field.name'),
        rowHeader: true,
        sortValue: (m) => `${m.userLastName} ${m.userFirstName} ${m.userEmail}`,
        // Long addresses wrap rather than push the actions out of the table.
        render: (m) => (
          <span style={{ overflowWrap: 'anywhere' }}>
            {personName(m)}
            {personName(m) !== m.userEmail && <span className="cell-sub">{m.userEmail}</span>}
          </span>
        ),
      },
      {
        key: 'role',
        label: t('staff.field.role'),
        sortValue: (m) => t(`role.${m.role}`),
        render: (m) => t(`role.${m.role}`),
      },
      {
        key: 'room',
        label: t('staff.field.roomNow'),
        sortValue: (m) => roomName.get(currentRoomOf.get(m.userId) ?? m.assignedRoomId ?? '') ?? '',
        render: (m) => {
          const now = currentRoomOf.get(m.userId);
          if (now) return roomName.get(now) ?? '—';
          return m.assignedRoomId ? (roomName.get(m.assignedRoomId) ?? '—') : '—';
        },
      },
      {
        key: 'status',
        label: t('staff.field.status'),
        sortValue: (m) => m.isActive,
        render: (m) => (
          <span className={`pill ${m.isActive ? 'pill--active' : 'pill--muted'}`}>
            {m.isActive ? t('staff.active') : t('staff.inactive')}
          </span>
        ),
      },
    ],
    [t, roomName, currentRoomOf],
  );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1 className="page-title">{t('staff.title')}</h1>
          <p className="muted" aria-live="polite">
            {memberships ? tn('staff.count', team.length) : t('common.loading')}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setDialog({ kind: 'assign' })}>
            {t('staff.assignRoom')}
          </button>
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => setDialog({ kind: 'invite' })}
            disabled={!online}
            aria-describedby={online ? undefined : 'staff-invite-offline'}
          >
            <span aria-hidden="true">+</span> {t('staff.invite')}
          </button>
        </div>
      </div>
      {!online && (
        <p id="staff-invite-offline" className="notice" role="status">
          {t('staff.inviteNeedsNetwork')}
        </p>
      )}

      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorLine text={rowError} />

      <section aria-labelledby="staff-team">
        <h2 id="staff-team">{t('staff.team')}</h2>
        <div className="toolbar toolbar--wrap">
          <SearchField label={t('staff.search')} placeholder={t('staff.searchPlaceholder')} value={q} onChange={setQ} />
          <select
            aria-label={t('staff.field.role')}
            value={role}
            onChange={(e) => setRole(e.target.value as EventRole)}
          >
            <option value="">{t('staff.anyRole')}</option>
            {staffRoles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <ActiveFilter
            label={t('staff.field.status')}
            value={status}
            onChange={setStatus}
            any={t('staff.anyStatus')}
            active={t('staff.active')}
            inactive={t('staff.inactive')}
          />
        </div>
        {memberships === undefined ? (
          <p className="muted">{t('common.loading')}</p>
        ) : (
          <DataTable
            caption={t('staff.team')}
            rows={filtered}
            columns={columns}
            rowKey={(m) => m.id}
            initialSort={{ key: 'name', dir: 'asc' }}
            resetKey={`${q}|${role}|${status}`}
            empty={<p>{team.length ? t('staff.noMatch') : t('staff.empty')}</p>}
            actions={(m) => (
              <>
                <button
                  type="button"
                  className="btn btn--small"
                  onClick={() => setDialog({ kind: 'edit', member: m })}
                  aria-label={t('staff.editNamed', { name: personName(m) })}
                >
                  {t('common.edit')}
                </button>
                <button
                  type="button"
                  className={m.isActive ? 'btn btn--small btn--danger-outline' : 'btn btn--small'}
                  onClick={() => void toggleActive(m)}
                  aria-label={t(m.isActive ? 'staff.deactivateNamed' : 'staff.reactivateNamed', {
                    name: personName(m),
                  })}
                >
                  {m.isActive ? t('staff.deactivate') : t('staff.reactivate')}
                </button>
              </>
            )}
          />
        )}
      </section>

      <AssignmentsSection
        eventId={eventId}
        loaded={loaded}
        now={now}
        roomName={roomName}
        memberOf={memberOf}
        reload={reloadAssignments}
        rooms={(rooms ?? []).map((r) => ({ id: r.id, name: r.name }))}
        onNotice={setNotice}
      />

      {dialog?.kind === 'invite' && (
        <InviteDialog
          eventId={eventId}
          rooms={rooms ?? []}
          onClose={() => setDialog(null)}
          onDone={(m) => {
            setDialog(null);
            setNotice(t('staff.invited', { email: m.userEmail, role: t(`role.${m.role}`) }));
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <EditMemberDialog
          store={store}
          team={memberships ?? []}
          doc={memberDoc(dialog.member.id)}
          member={dialog.member}
          rooms={rooms ?? []}
          onClose={() => setDialog(null)}
          onDone={(m) => {
            setDialog(null);
            setNotice(t('staff.saved', { name: personName(m) }));
          }}
        />
      )}
      {dialog?.kind === 'assign' && (
        <AssignDialog
          eventId={eventId}
          people={team.filter((m) => m.isActive && (roomAssignmentRoles as readonly string[]).includes(m.role))}
          rooms={rooms ?? []}
          onClose={() => setDialog(null)}
          onDone={(a) => {
            setDialog(null);
            const m = memberOf.get(a.userId);
            setNotice(t('staff.assigned', { name: m ? personName(m) : '', room: roomName.get(a.roomId) ?? '' }));
            reloadAssignments();
          }}
        />
      )}
    </div>
  );
}

function AssignmentsSection({
  eventId,
  loaded,
  now,
  roomName,
  memberOf,
  rooms,
  reload,
  onNotice,
}: {
  eventId: string;
  loaded: Loaded;
  now: number;
  roomName: Map<string, string>;
  memberOf: Map<string, MembershipRecord>;
  rooms: { id: string; name: string }[];
  reload: () => void;
  onNotice: (text: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [q, setQ] = useState('');
  const [room, setRoom] = useState('');
  const [when, setWhen] = useState<SlotState | ''>('');
  const [error, setError] = useState<string | null>(null);
  const dateTime = (iso: string) => i18n.dateTime(iso);

  const who = useCallback(
    (a: RoomAssignmentRecord) => {
      const m = memberOf.get(a.userId);
      return m ? personName(m) : t('staff.formerMember');
    },
    [memberOf, t],
  );
  const items = loaded.state === 'ready' ? loaded.items : [];
  const filtered = items.filter(
    (a) =>
      (!room || a.roomId === room) &&
      (!when || slotState(a, now) === when) &&
      matchesQuery(q, who(a), memberOf.get(a.userId)?.userEmail, roomName.get(a.roomId)),
  );

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await work();
      onNotice(done);
      reload();
    } catch (err) {
      setError(describeError(err, i18n));
    }
  };

  const columns: Column<RoomAssignmentRecord>[] = [
    { key: 'who', label: t('staff.field.name'), rowHeader: true, sortValue: who, render: who },
    { key: 'role', label: t('staff.field.role'), sortValue: (a) => a.role, render: (a) => t(`role.${a.role}`) },
    {
      key: 'room',
      label: t('staff.field.room'),
      sortValue: (a) => roomName.get(a.roomId) ?? '',
      render: (a) => roomName.get(a.roomId) ?? '—',
    },
    {
      key: 'startsAt',
      label: t('staff.field.startsAt'),
      sortValue: (a) => a.startsAt,
      render: (a) => dateTime(a.startsAt),
    },
    { key: 'endsAt', label: t('staff.field.endsAt'), sortValue: (a) => a.endsAt, render: (a) => dateTime(a.endsAt) },
    {
      key: 'state',
      label: t('staff.field.slotState'),
      sortValue: (a) => slotState(a, now),
      render: (a) => {
        const s = slotState(a, now);
        return <span className={`pill ${slotPill[s]}`}>{t(`staff.slot.${s}`)}</span>;
      },
    },
  ];

  return (
    <section aria-labelledby="staff-rooms">
      <h2 id="staff-rooms">{t('staff.assignments')}</h2>
      <div className="toolbar toolbar--wrap">
        <SearchField label={t('staff.searchAssignments')} value={q} onChange={setQ} />
        <select aria-label={t('staff.field.room')} value={room} onChange={(e) => setRoom(e.target.value)}>
          <option value="">{t('staff.anyRoom')}</option>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
        <select
          aria-label={t('staff.field.slotState')}
          value={when}
          onChange={(e) => setWhen(e.target.value as SlotState | '')}
        >
          <option value="">{t('staff.anyTime')}</option>
          {(['current', 'upcoming', 'past', 'inactive'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`staff.slot.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorLine text={error} />
      {loaded.state === 'loading' && <p className="muted">{t('common.loading')}</p>}
      {loaded.state === 'failed' && <LoadFailed error={loaded.error} onRetry={reload} />}
      {loaded.state === 'ready' && (
        <DataTable
          caption={t('staff.assignments')}
          rows={filtered}
          columns={columns}
          rowKey={(a) => a.id}
          initialSort={{ key: 'startsAt', dir: 'asc' }}
          resetKey={`${q}|${room}|${when}`}
          empty={<p>{items.length ? t('staff.noMatch') : t('staff.noAssignments')}</p>}
          actions={(a) => (
            <>
              <button
                type="button"
                className="btn btn--small"
                onClick={() =>
                  void act(
                    () => setAssignmentActive(eventId, a, !a.isActive),
                    t(a.isActive ? 'staff.slotDeactivated' : 'staff.slotReactivated', { name: who(a) }),
                  )
                }
              >
                {a.isActive ? t('staff.deactivate') : t('staff.reactivate')}
              </button>
              <button
                type="button"
                className="btn btn--small btn--danger-outline"
                aria-label={t('staff.deleteSlotNamed', { name: who(a) })}
                onClick={() => void act(() => deleteAssignment(eventId, a), t('staff.slotDeleted', { name: who(a) }))}
              >
                {t('common.delete')}
              </button>
            </>
          )}
        />
      )}
    </section>
  );
}

function RoleSelect({
  value,
  onChange,
  ids,
}: {
  value: EventRole;
  onChange: (r: EventRole) => void;
  ids: { id: string; name: string };
}) {
  const { t } = useI18n();
  return (
    <select {...ids} value={value} onChange={(e) => onChange(e.target.value as EventRole)}>
      {staffRoles.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </select>
  );
}

function RoomSelect({
  value,
  onChange,
  rooms,
  ids,
  noneLabel,
}: {
  value: string;
  onChange: (v: string) => void;
  rooms: readonly { id: string; name: string }[];
  ids: { id: string; name: string };
  noneLabel?: string;
}) {
  return (
    <select {...ids} value={value} onChange={(e) => onChange(e.target.value)}>
      {noneLabel !== undefined && <option value="">{noneLabel}</option>}
      {rooms.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </select>
  );
}

function InviteDialog({
  eventId,
  rooms,
  onClose,
  onDone,
}: {
  eventId: string;
  rooms: readonly { id: string; name: string }[];
  onClose: () => void;
  onDone: (m: MembershipRecord) => void;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [role, setRole] = useState<EventRole>('badge_controller');
  const [room, setRoom] = useState('');
  const input = () => ({
    email: email.trim(),
    firstName,
    lastName,
    role,
    assignedRoomId: role === 'room_manager' && room ? room : null,
  });
  return (
    <SubmitDialog
      title={t('staff.inviteTitle')}
      submitLabel={t('staff.inviteSend')}
      onClose={onClose}
      schema={membershipCreateInput}
      sent={input}
      onSubmit={async () => onDone(await inviteStaff(eventId, input()))}
      size="wide"
    >
      {(errors, ids) => (
        <>
          <p className="form--span muted">{t('staff.inviteExplain')}</p>
          <FormField ids={ids('email')} label={t('staff.field.email')} error={errors.email} required wide>
            <input
              {...ids('email')}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </FormField>
          <FormField ids={ids('firstName')} label={t('staff.field.firstName')} error={errors.firstName}>
            <input {...ids('firstName')} value={firstName} onChange={(e) => setFirstName(e.target.value)} />
          </FormField>
          <FormField ids={ids('lastName')} label={t('staff.field.lastName')} error={errors.lastName}>
            <input {...ids('lastName')} value={lastName} onChange={(e) => setLastName(e.target.value)} />
          </FormField>
          <FormField ids={ids('role')} label={t('staff.field.role')} error={errors.role} required>
            <RoleSelect ids={ids('role')} value={role} onChange={setRole} />
          </FormField>
          {role === 'room_manager' && (
            <FormField ids={ids('assignedRoomId')} label={t('staff.field.managedRoom')} error={errors.assignedRoomId}>
              <RoomSelect
                ids={ids('assignedRoomId')}
                value={room}
                onChange={setRoom}
                rooms={rooms}
                noneLabel={t('staff.noRoom')}
              />
            </FormField>
          )}
        </>
      )}
    </SubmitDialog>
  );
}

function EditMemberDialog({
  store,
  team,
  doc,
  member,
  rooms,
  onClose,
  onDone,
}: {
  store: DeviceStore | null;
  team: readonly MembershipRecord[];
  doc: RxDocument<LocalDoc> | undefined;
  member: MembershipRecord;
  rooms: readonly { id: string; name: string }[];
  onClose: () => void;
  onDone: (m: MembershipRecord) => void;
}) {
  const { t } = useI18n();
  const [role, setRole] = useState<EventRole>(member.role);
  const [room, setRoom] = useState(member.assignedRoomId ?? '');
  const [active, setActive] = useState(member.isActive);
  return (
    <SubmitDialog
      title={t('staff.editTitle', { name: personName(member) })}
      submitLabel={t('common.save')}
      onClose={onClose}
      onSubmit={async () =>
        onDone(
          await saveMembershipLocally(t, store, team, member, doc, {
            role,
            isActive: active,
            assignedRoomId: role === 'room_manager' && room ? room : null,
          }),
        )
      }
    >
      {(errors, ids) => (
        <>
          <FormField ids={ids('role')} label={t('staff.field.role')} error={errors.role} wide>
            <RoleSelect ids={ids('role')} value={role} onChange={setRole} />
          </FormField>
          {role === 'room_manager' && (
            <FormField
              ids={ids('assignedRoomId')}
              label={t('staff.field.managedRoom')}
              error={errors.assignedRoomId}
              wide
            >
              <RoomSelect
                ids={ids('assignedRoomId')}
                value={room}
                onChange={setRoom}
                rooms={rooms}
                noneLabel={t('staff.noRoom')}
              />
            </FormField>
          )}
          <div className="field field--check form--span">
            <input
              {...ids('isActive')}
              type="checkbox"
              checked={active}
              onChange={(e) => setActive(e.target.checked)}
            />
            <label htmlFor={ids('isActive').id}>{t('staff.field.isActive')}</label>
            {errors.isActive && <p className="field__error">{errors.isActive}</p>}
          </div>
        </>
      )}
    </SubmitDialog>
  );
}

function AssignDialog({
  eventId,
  people,
  rooms,
  onClose,
  onDone,
}: {
  eventId: string;
  people: readonly MembershipRecord[];
  rooms: readonly { id: string; name: string }[];
  onClose: () => void;
  onDone: (a: RoomAssignmentRecord) => void;
}) {
  const { t } = useI18n();
  const [person, setPerson] = useState(people[0]?.userId ?? '');
  const [room, setRoom] = useState(rooms[0]?.id ?? '');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const input = () => ({ userId: person, roomId: room, startsAt: fromLocalInput(start), endsAt: fromLocalInput(end) });
  return (
    <SubmitDialog
      title={t('staff.assignTitle')}
      submitLabel={t('staff.assignSave')}
      onClose={onClose}
      schema={roomAssignmentCreateInput}
      sent={input}
      check={() => {
        const errors: Record<string, string> = {};
        if (!start) errors.startsAt = t('field.required');
        if (!end) errors.endsAt = t('field.required');
        else if (start && fromLocalInput(end) <= fromLocalInput(start)) errors.endsAt = t('staff.endAfterStart');
        return errors;
      }}
      onSubmit={async () => onDone(await createAssignment(eventId, input()))}
      size="wide"
    >
      {(errors, ids) => (
        <>
          {people.length === 0 && <p className="form--span notice">{t('staff.noAssignable')}</p>}
          <FormField ids={ids('userId')} label={t('staff.field.person')} error={errors.userId} required wide>
            <select {...ids('userId')} value={person} onChange={(e) => setPerson(e.target.value)}>
              {people.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {personName(m)} — {t(`role.${m.role}`)}
                </option>
              ))}
            </select>
          </FormField>
          <FormField ids={ids('roomId')} label={t('staff.field.room')} error={errors.roomId} required wide>
            <RoomSelect ids={ids('roomId')} value={room} onChange={setRoom} rooms={rooms} />
          </FormField>
          <FormField ids={ids('startsAt')} label={t('staff.field.startsAt')} error={errors.startsAt} required>
            <input
              {...ids('startsAt')}
              type="datetime-local"
              value={start}
              onChange={(e) => {
                setStart(e.target.value);
                if (!end && e.target.value)
                  setEnd(
                    toLocalInput(new Date(Date.parse(fromLocalInput(e.target.value)) + 4 * 3600_000).toISOString()),
                  );
              }}
            />
          </FormField>
          <FormField ids={ids('endsAt')} label={t('staff.field.endsAt')} error={errors.endsAt} required>
            <input {...ids('endsAt')} type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
          </FormField>
        </>
      )}
    </SubmitDialog>
  );
}

/**
 * A role change or a deactivation is written on this computer and syncs (offline too), like rooms.
 * The rules the server applies to every synced write are checked here first against this
 * computer's copy of the team (the event keeps an active organizer), so a refusal is said at once.
 */
async function saveMembershipLocally(
  t: ReturnType<typeof useI18n>['t'],
  store: DeviceStore | null,
  team: readonly MembershipRecord[],
  member: MembershipRecord,
  doc: RxDocument<LocalDoc> | undefined,
  patch: Partial<Pick<MembershipRecord, 'role' | 'isActive' | 'assignedRoomId'>>,
): Promise<MembershipRecord> {
  if (!store) throw new Error(t('console.notReady'));
  if (!doc) throw new Error(t('staff.gone'));
  const after = { ...member, ...patch };
  const issues = membershipEditIssues(member, after);
  if (issues[0]) throw new Error(issues[0].reason);
  if (leavesNoOrganizer(team.filter(isActiveOrganizer), member, after)) throw new Error(t('staff.lastOrganizer'));
  return editRecord(store, 'memberships', doc, patch);
}
