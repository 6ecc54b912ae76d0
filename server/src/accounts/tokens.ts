import { newId } from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config';
import { unauthorized } from '../http/errors';
import type { AccountQueries } from './queries';

/**
 * Access tokens are short-lived JWTs carrying the selected event. Their claims also serve the
 * original mobile app (`user_id`, `event_id`, `token_type`, `jti`, as SimpleJWT issued them).
 * Refresh tokens are JWTs backed by a database row: each is usable once (rotation); presenting a
 * used one again means it was stolen or replayed, and the whole family is revoked.
 */
export interface AccessClaims {
  sub: string;
  kind: 'user' | 'cash_register';
  token_type: 'access';
  jti: string;
  user_id: number;
  event_id?: string;
  /** The refresh-token family (the signed-in device): lets "my devices" mark this one. */
  fam?: string;
  /** Who it is, for the audit trail: the person's email, or the register's name. */
  email?: string;
  name?: string;
  exp?: number;
}
export interface RefreshClaims {
  sub: string;
  kind: 'user' | 'cash_register';
  token_type: 'refresh';
  jti: string;
  fam: string;
  user_id: number;
  event_id?: string;
  email?: string;
  name?: string;
}

export const TWO_FACTOR_CHALLENGE_TTL_SECONDS = 300;
export interface TwoFactorChallengeClaims {
  sub: string;
  token_type: 'two_factor_challenge';
  jti: string;
}

/**
 * An invitation to claim a placeholder account (made when staff invite a new email, or by a
 * participant import): sent by mail only, so holding it shows the address is yours. Long enough for
 * an invitation sent weeks before the event; once the account has a password it opens nothing.
 */
export const INVITATION_TTL_SECONDS = 30 * 24 * 3600;
export interface InvitationClaims {
  sub: string;
  email: string;
  token_type: 'invitation';
  jti: string;
}

export interface TokenPair {
  access: string;
  refresh: string;
  accessExpiresIn: number;
}

export interface IssueOptions {
  kind: 'user' | 'cash_register';
  subjectId: string;
  userLegacyId: number;
  eventId: string | null;
  /** The person's email (or the register's login) and display name, carried for the audit trail. */
  email?: string;
  name?: string;
  familyId?: string;
  deviceId?: string | null;
  userAgent?: string;
  ip?: string;
}

export function tokenService(app: FastifyInstance, config: AppConfig, queries: AccountQueries) {
  async function issue(o: IssueOptions): Promise<TokenPair> {
    const familyId = o.familyId ?? newId();
    const refreshId = newId();
    const base = {
      sub: o.subjectId,
      kind: o.kind,
      user_id: o.userLegacyId,
      ...(o.eventId ? { event_id: o.eventId } : {}),
      ...(o.email ? { email: o.email } : {}),
      ...(o.name ? { name: o.name } : {}),
    };
    const access = app.jwt.sign(
      { ...base, token_type: 'access', jti: newId().replace(/-/g, ''), fam: familyId } satisfies AccessClaims,
      { expiresIn: config.accessTokenTtlSeconds },
    );
    const refreshTtl = config.refreshTokenTtlDays * 86_400;
    const refresh = app.jwt.sign(
      { ...base, token_type: 'refresh', jti: refreshId, fam: familyId } satisfies RefreshClaims,
      { expiresIn: refreshTtl },
    );
    await queries.insertRefreshToken({
      id: refreshId,
      familyId,
      subjectKind: o.kind,
      subjectId: o.subjectId,
      eventId: o.eventId,
      deviceId: o.deviceId ?? null,
      userAgent: (o.userAgent ?? '').slice(0, 300),
      ip: o.ip ?? '',
      expiresAt: new Date(Date.now() + refreshTtl * 1000).toISOString(),
      usedAt: null,
      revokedAt: null,
      revokeReason: null,
    });
    return { access, refresh, accessExpiresIn: config.accessTokenTtlSeconds };
  }

  function verifyRefresh(token: string): RefreshClaims {
    try {
      const claims = app.jwt.verify<RefreshClaims>(token);
      if (claims.token_type !== 'refresh') throw new Error('not a refresh token');
      return claims;
    } catch {
      throw unauthorized('Token is invalid or expired', 'token_not_valid');
    }
  }

  /** Rotate: the old refresh token is spent, a new pair of the same family is issued. */
  async function rotate(
    token: string,
    meta: { userAgent?: string; ip?: string; eventId?: string | null },
  ): Promise<{ pair: TokenPair; claims: RefreshClaims }> {
    const claims = verifyRefresh(token);
    const row = await queries.findRefreshToken(claims.jti);
    if (!row || row.revokedAt) throw unauthorized('Token is invalid or expired', 'token_not_valid');
    const fresh = await queries.markRefreshTokenUsed(claims.jti);
    if (!fresh) {
      // Reuse of a spent token: someone holds a copy. Revoke every token of this family.
      await queries.revokeFamily(row.familyId, 'refresh token reuse detected');
      throw unauthorized('Token is invalid or expired', 'token_not_valid');
    }
    const pair = await issue({
      kind: claims.kind,
      subjectId: claims.sub,
      userLegacyId: claims.user_id,
      eventId: meta.eventId === undefined ? (claims.event_id ?? null) : meta.eventId,
      ...(claims.email ? { email: claims.email } : {}),
      ...(claims.name ? { name: claims.name } : {}),
      familyId: row.familyId,
      deviceId: row.deviceId,
      ...(meta.userAgent !== undefined ? { userAgent: meta.userAgent } : {}),
      ...(meta.ip !== undefined ? { ip: meta.ip } : {}),
    });
    return { pair, claims };
  }

  async function revoke(token: string): Promise<void> {
    const claims = verifyRefresh(token);
    const row = await queries.findRefreshToken(claims.jti);
    if (row) await queries.revokeFamily(row.familyId, 'logout');
  }

  /**
   * Between the password and the second factor: a short-lived token that proves only the password
   * step. It is no access token (the auth layer accepts `token_type: 'access'` only).
   */
  function signTwoFactorChallenge(userId: string): { challengeToken: string; expiresIn: number } {
    const claims: TwoFactorChallengeClaims = {
      sub: userId,
      token_type: 'two_factor_challenge',
      jti: newId().replace(/-/g, ''),
    };
    return {
      challengeToken: app.jwt.sign(claims, { expiresIn: TWO_FACTOR_CHALLENGE_TTL_SECONDS }),
      expiresIn: TWO_FACTOR_CHALLENGE_TTL_SECONDS,
    };
  }

  function verifyTwoFactorChallenge(token: string): TwoFactorChallengeClaims {
    try {
      const claims = app.jwt.verify<TwoFactorChallengeClaims>(token);
      if (claims.token_type !== 'two_factor_challenge' || typeof claims.sub !== 'string') throw new Error('wrong kind');
      return claims;
    } catch {
      throw unauthorized('The sign-in step has expired: enter your email and password again', 'challenge_expired');
    }
  }

  function signInvitation(userId: string, email: string): string {
    const claims: InvitationClaims = {
      sub: userId,
      email: email.toLowerCase(),
      token_type: 'invitation',
      jti: newId().replace(/-/g, ''),
    };
    return app.jwt.sign(claims, { expiresIn: INVITATION_TTL_SECONDS });
  }

  /** The invitation's claims, or null when it is not one of ours, altered or expired. */
  function verifyInvitation(token: string): InvitationClaims | null {
    try {
      const claims = app.jwt.verify<InvitationClaims>(token);
      if (claims.token_type !== 'invitation' || typeof claims.sub !== 'string' || typeof claims.email !== 'string')
        return null;
      return claims;
    } catch {
      return null;
    }
  }

  return {
    issue,
    rotate,
    revoke,
    verifyRefresh,
    signTwoFactorChallenge,
    verifyTwoFactorChallenge,
    signInvitation,
    verifyInvitation,
  };
}
export type TokenService = ReturnType<typeof tokenService>;

/** The refresh-token family (the signed-in device) of the request's access token, if it carries one. */
export function accessTokenFamily(app: FastifyInstance, request: { headers: { authorization?: string } }) {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization?.trim() ?? '')?.[1];
  if (!token) return undefined;
  try {
    return app.jwt.decode<AccessClaims>(token)?.fam ?? undefined;
  } catch {
    return undefined;
  }
}
