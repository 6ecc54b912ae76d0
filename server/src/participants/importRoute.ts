import { participantCreateInput, signBadge } from '@makeplus/shared';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Services } from '../app';
import { nativeBadgeSigner } from '../badges/nativeSigner';
import type { DB } from '../db/schema';
import { requireAccess } from '../http/auth';
import { AppError, type FieldError } from '../http/errors';
import { errorResponses } from '../http/openapi';
import { authenticate, guard, rejectNulCharacters, writeContextOf } from '../records/crud';
import { insertRecords, updateRecord } from '../sync/recordStore';

/** Most rows one import request may carry (a client sends a large file in batches). */
export const IMPORT_BATCH_MAX = 2000;

const importRow = z.object({
  /** The row's number in the person's file (1 = first data row), echoed in errors. */
  row: z.int().min(1),
  values: z.record(z.string(), z.unknown()),
});
const importBody = z.object({ rows: z.array(importRow).min(1).max(IMPORT_BATCH_MAX) });
const importResult = z.object({
  created: z.int().min(0),
  merged: z.int().min(0),
  /** Participant ids per row number, in the order sent. */
  ids: z.array(z.object({ row: z.int(), id: z.uuid(), merged: z.boolean() })),
});

const MERGED_FIELDS = ['firstName', 'lastName', 'phone', 'organization', 'category'] as const;

interface AccountLink {
  id: string;
  legacyId: number;
  badgeCode: string | null;
  legacyBadgeId: string;
}
/** A registration tied to a person's account carries that account's permanent badge. */
const accountFields = (user: AccountLink) => ({
  userId: user.id,
  userLegacyId: user.legacyId,
  badgeCode: user.badgeCode ?? '',
  legacyBadgeId: user.legacyBadgeId,
});

/**
 * Bulk registration from a spreadsheet: `POST /events/:eventId/participants/import`.
 *
 * All or report: every row is checked with the same schema as a single create; if any row is wrong,
 * nothing of the batch is written and the reply names each row and field at fault
 * (`rows.<row>.<field>`). Rows whose email is already registered in the event are merged into that
 * registration (non-empty values replace the stored ones); two rows of one batch with the same email
 * count as one person. A new email gets a placeholder account and that person's permanent badge, as a
 * single create does; a row without an email gets a badge signed for this event.
 */
export function participantImportRoutes(
  db: Kysely<DB>,
  services: Pick<Services, 'accounts' | 'badges'>,
): FastifyPluginAsyncZod {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/events/:eventId/participants/import',
      {
        schema: {
          tags: ['participants'],
          summary: 'Import participants in bulk (all or report, merge by email)',
          description: `At most ${IMPORT_BATCH_MAX} rows per request. A refused batch is a 400 whose fields are \`rows.<row>.<field>\`.`,
          params: z.object({ eventId: z.uuid() }),
          body: importBody,
          response: { ...errorResponses, 200: importResult },
        },
        onRequest: authenticate,
        preValidation: guard(db, 'participants.manage'),
        preHandler: rejectNulCharacters,
      },
      async (req) => {
        const access = requireAccess(req);
        const eventId = access.eventId;
        const write = writeContextOf(access, req.ip);

        // 1. Every row against the shared schema, before anything is written.
        const errors: FieldError[] = [];
        const parsed: { row: number; input: z.infer<typeof participantCreateInput> }[] = [];
        for (const { row, values } of req.body.rows) {
          const p = participantCreateInput.safeParse(values);
          if (p.success) parsed.push({ row, input: p.data });
          else
            for (const issue of p.error.issues)
              errors.push({ field: ['rows', row, ...issue.path.map(String)].join('.'), reason: issue.message });
        }
        if (errors.length) {
          const rows = new Set(errors.map((e) => e.field.split('.')[1]));
          throw new AppError(
            400,
            'validation_failed',
            `${rows.size} row(s) are invalid; nothing was imported from this batch`,
            errors,
          );
        }
        // Allowed rooms must be rooms of this event.
        const roomIds = new Set(parsed.flatMap((p) => p.input.allowedRoomIds ?? []));
        if (roomIds.size) {
          const found = await db
            .selectFrom('rooms')
            .select('id')
            .where('eventId', '=', eventId)
            .where('deleted', '=', false)
            .where('id', 'in', [...roomIds])
            .execute();
          const known = new Set(found.map((f) => f.id));
          const bad = parsed.filter((p) => (p.input.allowedRoomIds ?? []).some((id) => !known.has(id)));
          if (bad.length)
            throw new AppError(
              400,
              'validation_failed',
              'Some rows name rooms of another event',
              bad.map((b) => ({ field: `rows.${b.row}.allowedRoomIds`, reason: 'no such room in this event' })),
            );
        }

        return db.transaction().execute(async (trx) => {
          // 2. One registration per email: rows of the batch with the same email are one person.
          const byEmail = new Map<string, { row: number; input: (typeof parsed)[number]['input'] }[]>();
          const noEmail: typeof parsed = [];
          for (const p of parsed) {
            const email = p.input.email.toLowerCase();
            if (!email) noEmail.push(p);
            else byEmail.set(email, [...(byEmail.get(email) ?? []), { row: p.row, input: { ...p.input, email } }]);
          }
          const emails = [...byEmail.keys()];
          const existingParticipants = new Map<string, { id: string; rev: number } & Record<string, unknown>>();
          const existingUsers = new Map<string, AccountLink>();
          for (let i = 0; i < emails.length; i += 1000) {
            const chunk = emails.slice(i, i + 1000);
            const users = await trx
              .selectFrom('users')
              .select(['id', 'email', 'legacyId', 'badgeCode', 'legacyBadgeId'])
              .where('email', 'in', chunk)
              .execute();
            for (const u of users) existingUsers.set(u.email, u);
            const regs = await trx
              .selectFrom('participants')
              .selectAll()
              .where('eventId', '=', eventId)
              .where('deleted', '=', false)
              .where((eb) => eb.fn('lower', ['email']), 'in', chunk)
              .execute();
            for (const p of regs) existingParticipants.set(String(p.email).toLowerCase(), p as never);
          }

          const ids: { row: number; id: string; merged: boolean }[] = [];
          const inserts: Record<string, unknown>[] = [];
          /** New registrations whose email has no account yet: accounts made in bulk below. */
          const needAccount: { email: string; insert: Record<string, unknown> }[] = [];
          let merged = 0;
          for (const [email, rows] of byEmail) {
            // Later rows fill in or replace what earlier rows said.
            const combined = rows.reduce<Record<string, unknown>>((acc, { input }) => {
              const next = { ...acc };
              for (const [k, v] of Object.entries(input))
                if (v !== '' && v !== null && v !== undefined) next[k] = v;
                else if (!(k in next)) next[k] = v;
              return next;
            }, {});
            const current = existingParticipants.get(email);
            if (current) {
              const patch: Record<string, unknown> = {};
              for (const f of MERGED_FIELDS) if (combined[f] && combined[f] !== current[f]) patch[f] = combined[f];
              if (combined.allowedRoomIds !== null && combined.allowedRoomIds !== undefined)
                patch.allowedRoomIds = combined.allowedRoomIds;
              if (Object.keys(patch).length) await updateRecord(trx, 'participants', eventId, current.id, patch, write);
              merged += 1;
              for (const { row } of rows) ids.push({ row, id: current.id, merged: true });
              continue;
            }
            const id = crypto.randomUUID();
            const insert: Record<string, unknown> = { ...combined, id, source: 'import' };
            const user = existingUsers.get(email);
            if (user) Object.assign(insert, accountFields(user));
            else needAccount.push({ email, insert });
            inserts.push(insert);
            rows.forEach(({ row }, i) => {
              ids.push({ row, id, merged: i > 0 });
            });
            if (rows.length > 1) merged += rows.length - 1;
          }
          // One account per new email, created together (multi-row statements, in this transaction).
          const accounts = await services.accounts.createPlaceholderUsers(
            trx,
            needAccount.map(({ email, insert }) => ({
              email,
              firstName: String(insert.firstName ?? ''),
              lastName: String(insert.lastName ?? ''),
              phone: String(insert.phone ?? ''),
            })),
          );
          needAccount.forEach(({ insert }, i) => {
            Object.assign(insert, accountFields(accounts[i] as AccountLink));
          });
          if (noEmail.length) {
            const key = await services.badges.activeKey();
            const now = Math.floor(Date.now() / 1000);
            for (const { row, input } of noEmail) {
              const id = crypto.randomUUID();
              const badgeCode = signBadge(
                { p: id, e: eventId, n: `${input.firstName} ${input.lastName}`.trim().slice(0, 60), t: now },
                key,
                nativeBadgeSigner,
              );
              inserts.push({
                ...input,
                id,
                source: 'import',
                userId: null,
                userLegacyId: 0,
                badgeCode,
                legacyBadgeId: '',
              });
              ids.push({ row, id, merged: false });
            }
          }
          await insertRecords(trx, 'participants', eventId, inserts, write);
          ids.sort((a, b) => a.row - b.row);
          return { created: inserts.length, merged, ids };
        });
      },
    );
  };
}
