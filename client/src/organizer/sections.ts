import type { PlainMessageKey } from '../i18n/i18n';

export interface ConsoleSection {
  /** Path under /organizer ('' for the dashboard). */
  path: string;
  label: PlainMessageKey;
  /** What the section is for, shown while it is not built yet. */
  purpose: PlainMessageKey;
  icon: string;
  ready: boolean;
}

/** The organizer console's navigation, in the order organizers work through an event. */
export const consoleSections: readonly ConsoleSection[] = [
  { path: '', label: 'console.dashboard', purpose: 'console.dashboard.purpose', icon: '◧', ready: true },
  { path: 'events', label: 'console.event', purpose: 'console.event.purpose', icon: '⚙', ready: true },
  { path: 'rooms', label: 'console.rooms', purpose: 'console.rooms.purpose', icon: '▦', ready: true },
  { path: 'sessions', label: 'console.sessions', purpose: 'console.sessions.purpose', icon: '◷', ready: true },
  {
    path: 'participants',
    label: 'console.participants',
    purpose: 'console.participants.purpose',
    icon: '☺',
    ready: true,
  },
  { path: 'staff', label: 'console.staff', purpose: 'console.staff.purpose', icon: '✦', ready: true },
  {
    path: 'cash-registers',
    label: 'console.cashRegisters',
    purpose: 'console.cashRegisters.purpose',
    icon: '▤',
    ready: true,
  },
  {
    path: 'announcements',
    label: 'console.announcements',
    purpose: 'console.announcements.purpose',
    icon: '✉',
    ready: true,
  },
  { path: 'questions', label: 'console.questions', purpose: 'console.questions.purpose', icon: '?', ready: true },
  {
    path: 'reconciliation',
    label: 'console.reconciliation',
    purpose: 'console.reconciliation.purpose',
    icon: '⚖',
    ready: true,
  },
  { path: 'exports', label: 'console.exports', purpose: 'console.exports.purpose', icon: '⇩', ready: true },
  {
    path: 'permissions',
    label: 'console.permissions',
    purpose: 'console.permissions.purpose',
    icon: '☑',
    ready: true,
  },
  { path: 'audit', label: 'console.audit', purpose: 'console.audit.purpose', icon: '☰', ready: true },
];
