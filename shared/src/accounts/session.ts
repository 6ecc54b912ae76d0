import type { EventRole } from './roles';
import type { UserPublic } from './user';

/** One event an account can enter, with its role there (as sign-in lists them). */
export interface EventSummary {
  id: string;
  name: string;
  role: EventRole;
  startsAt: string;
  endsAt: string;
  status: string;
  venue: string;
  primaryColor: string;
  logoUrl: string | null;
}

export interface CashRegisterSummary {
  id: string;
  name: string;
  email: string;
}

/** The body of `/api/v1/auth/login`, `/auth/register` and `/auth/select-event`. */
export interface SessionPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  subject: 'user' | 'cash_register';
  user: UserPublic | null;
  cashRegister: CashRegisterSummary | null;
  events: EventSummary[];
  /** Several events and none chosen yet: the app asks which one (then `/auth/select-event`). */
  requiresEventSelection: boolean;
  event: EventSummary | null;
  role: EventRole | null;
}
