import type { DeviceSession, EventRole, LoginHistoryEntry, TwoFactorStatus } from '@makeplus/shared';
import { apiJson } from '../auth/session';

/** The account security endpoints (server/src/accounts/securityRoutes.ts). */
const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const securityApi = {
  status: () => apiJson<TwoFactorStatus>('/api/v1/auth/2fa'),
  setup: (password: string) =>
    apiJson<{ secret: string; otpauthUri: string }>('/api/v1/auth/2fa/setup', post({ password })),
  confirm: (code: string) => apiJson<{ recoveryCodes: string[] }>('/api/v1/auth/2fa/confirm', post({ code })),
  disable: (password: string, code: string) => apiJson<void>('/api/v1/auth/2fa/disable', post({ password, code })),
  regenerate: (password: string, code: string) =>
    apiJson<{ recoveryCodes: string[] }>('/api/v1/auth/2fa/recovery-codes', post({ password, code })),
  history: () => apiJson<{ items: LoginHistoryEntry[] }>('/api/v1/auth/login-history?limit=50'),
  sessions: () => apiJson<{ items: DeviceSession[] }>('/api/v1/auth/sessions'),
  revoke: (id: string) => apiJson<void>(`/api/v1/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  changePassword: (currentPassword: string, newPassword: string) =>
    apiJson<void>('/api/v1/auth/change-password', post({ currentPassword, newPassword })),
  staffLogins: (eventId: string) =>
    apiJson<{ items: LoginHistoryEntry[] }>(`/api/v1/events/${eventId}/staff-logins?limit=100`),
  policy: (eventId: string) => apiJson<{ requiredRoles: EventRole[] }>(`/api/v1/events/${eventId}/two-factor-policy`),
  setPolicy: (eventId: string, requiredRoles: EventRole[]) =>
    apiJson<{ requiredRoles: EventRole[] }>(`/api/v1/events/${eventId}/two-factor-policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requiredRoles }),
    }),
};
