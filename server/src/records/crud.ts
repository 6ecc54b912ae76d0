import { type CollectionName, collections, isUuid, type Permission } from '@makeplus/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { EventAccess } from '../accounts/principal';
import { actorOf } from '../accounts/principal';
import type { DB } from '../db/schema';
import { eventGuard, requireAccess, requirePrincipal } from '../http/auth';
import { AppError, invalidField, notFound, validationError } from '../http/errors';
import { errorResponses, type PageQuery, page, pageQuery } from '../http/openapi';
import {
  findRecord,
  insertRecord,
  softDeleteRecord,
  toRecord,
  updateRecord,
  type WriteContext,
} from '../sync/recordStore';

// biome-ignore lint/suspicious/noExplicitAny: the table is chosen at run time (see recordStore.ts)
type AnyDb = Kysely<any>;
type AnyRecord = { id: string; rev: number; [k: string]: unknown };

/**
 * A REST resource over one synced collection of an event: `/events/:eventId/<path>`.
 * Declaring one gives list (pagination, filters, search, ordering), get, create, update (with an
 * optional revision check) and soft delete, all validated with zod and guarded by permissions.
 * Domain rules plug in through the hooks, which run inside the write transaction.
 */
export interface ResourceSpec {
  collection: CollectionName;
  path: string;
  tag: string;
  label: string;
  createInput: z.ZodType<Record<string, unknown>>;
  updateInput: z.ZodType<Record<string, unknown>>;
  readPermission: Permission;
  writePermission: Permission;
  /** Exact-match filters accepted in the query string, with their types. */
  filters: Record<string, 'uuid' | 'string' | 'boolean' | 'int'>;
  /** Columns `sort` may name. */
  sortable: readonly string[];
  defaultSort: string;
  /** `tsvector` uses the table's search_vector; otherwise ILIKE over these columns. */
  search: 'tsvector' | readonly string[];
  /** Fields that must reference a live record of the same event. */
  references?: Record<string, CollectionName>;
  hooks?: {
    beforeCreate?(ctx: HookContext, input: Record<string, unknown>): Promise<Record<string, unknown>>;
    beforeUpdate?(
      ctx: HookContext,
      current: AnyRecord,
      patch: Record<string, unknown>,
    ): Promise<Record<string, unknown>>;
    afterWrite?(ctx: HookContext, record: AnyRecord, before: AnyRecord | null): Promise<void>;
    beforeDelete?(ctx: HookContext, current: AnyRecord): Promise<void>;
    /** After a create is committed (e.g. an email): a failure here no longer undoes the write. */
    afterCreateCommitted?(access: EventAccess, record: AnyRecord): Promise<void>;
  };
}

export interface HookContext {
  trx: Transaction<DB>;
  access: EventAccess;
  write: WriteContext;
}

export function writeContextOf(access: EventAccess, ip: string, via: WriteContext['via'] = 'rest'): WriteContext {
  return { actor: actorOf(access.principal), via, ip, deviceId: access.deviceId ?? null };
}

const filterTypes = {
  uuid: z.uuid(),
  string: z.string().max(200),
  boolean: z.enum(['true', 'false']).transform((v) => v === 'true'),
  int: z.coerce.number().int(),
};

/** List totals remembered per resource (filters and search included in the key). */
const MAX_REMEMBERED_TOTALS = 1000;

export function resourceService(db: Kysely<DB>, spec: ResourceSpec) {
  const table = spec.collection;
  const dyn = db as unknown as AnyDb;
  /**
   * The total of a list, with the collection's stamp when it was counted: the event's highest
   * sequence number in this table. Every insert, edit and (soft) delete of a synced record takes a
   * new, higher sequence number of its event (recordStore.ts), and numbers become visible in commit
   * order, so while the stamp is the same, no row of the event in this table changed and the count
   * is still exact. The stamp is read in the same statement (same snapshot) as the page, from the
   * `(event_id, seq)` index. Per service, i.e. per database and process; several instances each keep
   * their own, checked against the database on every request.
   */
  const totals = new Map<string, { stamp: number; total: number }>();
  function rememberTotal(key: string, stamp: number, total: number) {
    totals.delete(key);
    totals.set(key, { stamp, total });
    if (totals.size > MAX_REMEMBERED_TOTALS) totals.delete(totals.keys().next().value as string);
  }

  async function checkReferences(trx: Transaction<DB>, eventId: string, values: Record<string, unknown>) {
    for (const [field, collection] of Object.entries(spec.references ?? {})) {
      const id = values[field];
      if (id === undefined || id === null) continue;
      const ids = Array.isArray(id) ? id : [id];
      for (const one of ids) {
        const found = await findRecord(trx, collection, eventId, String(one));
        if (!found) throw invalidField(`body.${field}`, `no such ${collection.replace(/s$/, '')} in this event`);
      }
    }
  }

  /** One record's update inside `trx`: hooks, references, the rev check, audit (via updateRecord). */
  async function updateIn(
    trx: Transaction<DB>,
    access: EventAccess,
    write: WriteContext,
    id: string,
    patch: Record<string, unknown>,
  ) {
    const ctx = { trx, access, write };
    const current = await findRecord<AnyRecord>(trx, table, access.eventId, id, { forUpdate: true });
    if (!current) throw notFound(spec.label);
    const { rev, ...fields } = patch;
    const values = spec.hooks?.beforeUpdate ? await spec.hooks.beforeUpdate(ctx, current, fields) : fields;
    await checkReferences(trx, access.eventId, values);
    const rec = await updateRecord<AnyRecord>(trx, table, access.eventId, id, values, write, rev as number | undefined);
    await spec.hooks?.afterWrite?.(ctx, rec, current);
    return rec;
  }

  return {
    async list(eventId: string, q: PageQuery, filters: Record<string, unknown>) {
      let base = dyn.selectFrom(table).where('eventId', '=', eventId).where('deleted', '=', false);
      for (const [k, v] of Object.entries(filters)) if (v !== undefined) base = base.where(k, '=', v);
      if (q.q) {
        if (spec.search === 'tsvector') {
          const terms = q.q
            .toLowerCase()
            .split(/\s+/)
            .map((t) => t.replace(/[^\p{L}\p{N}@._-]/gu, ''))
            .filter(Boolean)
            .map((t) => `${t}:*`)
            .join(' & ');
          if (terms) base = base.where(sql<boolean>`search_vector @@ to_tsquery('simple', ${terms})`);
        } else {
          const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          const cols = spec.search;
          base = base.where((eb) => eb.or(cols.map((c) => eb(c, 'ilike', like))));
        }
      }
      const sortKey = q.sort ?? spec.defaultSort;
      const desc = sortKey.startsWith('-');
      const column = desc ? sortKey.slice(1) : sortKey;
      if (!spec.sortable.includes(column))
        throw invalidField('querystring.sort', `one of ${spec.sortable.join(', ')} (prefix - for descending)`);
      const direction = desc ? 'desc' : 'asc';
      const rowsQuery = base
        .selectAll()
        .orderBy(column, direction)
        .orderBy('id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      // The total: counting every matching row on every page (a sequential scan, ~25 ms at 100,000
      // participants) is what made a page cost; it is counted again only when the collection changed.
      const countQuery = base.select((eb) => eb.fn.countAll().as('n'));
      const compiled = countQuery.compile();
      const key = `${compiled.sql}\u0000${JSON.stringify(compiled.parameters)}`;
      const known = totals.get(key);
      const stamp = dyn
        .selectFrom(table)
        .select(sql<number>`coalesce(max(seq), 0)`.as('s'))
        .where('eventId', '=', eventId);
      const meta = dyn.selectNoFrom([
        stamp.as('listStamp'),
        // A scalar subquery is evaluated only when reached: the count runs only if the stamp moved.
        (known
          ? sql<number | null>`case when (${stamp}) = ${known.stamp} then null else (${countQuery}) end`
          : countQuery
        ).as('listTotal'),
      ]);
      // One statement: the page (joined to the count, so an empty page still answers it).
      const rows = (await dyn
        .selectFrom(meta.as('m'))
        .leftJoinLateral(rowsQuery.as('p'), (join) => join.onTrue())
        .selectAll('p')
        .select(['m.listStamp', 'm.listTotal'])
        .orderBy(`p.${column}`, direction)
        .orderBy('p.id')
        .execute()) as ({ listStamp: unknown; listTotal: unknown; id: unknown } & Record<string, unknown>)[];
      const first = rows[0];
      const total = first?.listTotal == null ? (known?.total ?? 0) : Number(first.listTotal);
      if (first && first.listTotal != null) rememberTotal(key, Number(first.listStamp), total);
      const items = rows
        .filter((r) => r.id != null)
        .map(({ listStamp: _s, listTotal: _t, ...r }) => toRecord<AnyRecord>(table, r));
      return page(items, total, q);
    },

    async get(eventId: string, id: string) {
      const rec = await findRecord<AnyRecord>(db, table, eventId, id);
      if (!rec) throw notFound(spec.label);
      return rec;
    },

    async create(access: EventAccess, write: WriteContext, input: Record<string, unknown>) {
      const created = await db.transaction().execute(async (trx) => {
        const ctx = { trx, access, write };
        const values = spec.hooks?.beforeCreate ? await spec.hooks.beforeCreate(ctx, input) : input;
        await checkReferences(trx, access.eventId, values);
        if (
          typeof values.id === 'string' &&
          (await findRecord(trx, table, access.eventId, values.id, { includeDeleted: true }))
        ) {
          throw new AppError(409, 'duplicate', `A ${spec.label.toLowerCase()} with this id already exists`);
        }
        const rec = await insertRecord<AnyRecord>(trx, table, access.eventId, values, write);
        await spec.hooks?.afterWrite?.(ctx, rec, null);
        return rec;
      });
      await spec.hooks?.afterCreateCommitted?.(access, created);
      return created;
    },

    async update(access: EventAccess, write: WriteContext, id: string, patch: Record<string, unknown>) {
      return db.transaction().execute((trx) => updateIn(trx, access, write, id, patch));
    },

    /** Several updates as one: all are written or none (e.g. two sessions swapping their times). */
    async updateTogether(
      access: EventAccess,
      write: WriteContext,
      changes: readonly { id: string; patch: Record<string, unknown> }[],
    ) {
      return db.transaction().execute(async (trx) => {
        const done: AnyRecord[] = [];
        for (const c of changes) done.push(await updateIn(trx, access, write, c.id, c.patch));
        return done;
      });
    },

    async remove(access: EventAccess, write: WriteContext, id: string, rev?: number) {
      return db.transaction().execute(async (trx) => {
        const ctx = { trx, access, write };
        const current = await findRecord<AnyRecord>(trx, table, access.eventId, id, { forUpdate: true });
        if (!current) throw notFound(spec.label);
        await spec.hooks?.beforeDelete?.(ctx, current);
        const rec = await softDeleteRecord<AnyRecord>(trx, table, access.eventId, id, write, rev);
        await spec.hooks?.afterWrite?.(ctx, rec, current);
        return rec;
      });
    },
  };
}

const eventParams = z.object({ eventId: z.uuid() });
const recordParams = z.object({ eventId: z.uuid(), id: z.uuid() });
const deleteQuery = z.object({ rev: z.coerce.number().int().min(1).optional() });

/** `onRequest`: no token (or a bad one) is a 401 before anything else is looked at. */
export async function authenticate(request: FastifyRequest): Promise<void> {
  requirePrincipal(request);
}

/**
 * `preValidation`: the caller's role in the event of the path, then the permission, before the
 * body is validated, so a caller without the right gets 403 whatever it sends.
 */
export function guard(db: Kysely<DB>, permission: Permission) {
  const check = eventGuard(db, permission);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const eventId = (request.params as { eventId?: unknown } | undefined)?.eventId;
    if (eventId !== undefined && !isUuid(eventId)) {
      throw validationError([{ field: 'params.eventId', reason: 'Invalid UUID' }]);
    }
    await check(request, reply);
  };
}

/** Where a value holds a NUL character (`\u0000`), which PostgreSQL text cannot store. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = nulPath(v, `${path}.${i}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\u0000')}`;
      const found = nulPath(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

/** `preHandler` of writes: a NUL character is a 400 naming its field, not a database error. */
export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  const at = nulPath(request.body, 'body');
  if (at) throw validationError([{ field: at, reason: 'must not contain the NUL character (\\u0000)' }]);
}

const documented = new Map<string, z.ZodType>();
/**
 * A schema registered under a component name, so the OpenAPI document holds it once
 * (`#/components/schemas/<name>`) instead of inlining it in every response. Registered once per
 * process: the registry is global and several apps may be built (tests).
 */
export function component<T extends z.ZodType>(name: string, make: () => T): T {
  let schema = documented.get(name);
  if (!schema) {
    schema = make().meta({ id: name });
    documented.set(name, schema);
  }
  return schema as T;
}

/** A list page of `item`, as `page()` builds it. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.int().min(0),
    page: z.int().min(1),
    pageSize: z.int().min(1),
    pages: z.int().min(1),
  });
}

export function resourceRoutes(db: Kysely<DB>, spec: ResourceSpec): FastifyPluginAsyncZod {
  const service = resourceService(db, spec);
  const filterShape = Object.fromEntries(Object.entries(spec.filters).map(([k, t]) => [k, filterTypes[t].optional()]));
  const listQuery = pageQuery.extend(filterShape);
  // OpenAPI component names allow no spaces: "Payable item" is PayableItem.
  const name = spec.label.replace(/(?:^|\s+)(\S)/g, (_m, c: string) => c.toUpperCase());
  const record = component(name, () => collections[spec.collection].schema as z.ZodType);
  const recordPage = component(`${name}Page`, () => pageOf(record));
  const one = { ...errorResponses, 200: record, 201: record };
  const tags = [spec.tag];
  const base = `/events/:eventId/${spec.path}`;
  const read = { onRequest: authenticate, preValidation: guard(db, spec.readPermission) };
  const write = {
    onRequest: authenticate,
    preValidation: guard(db, spec.writePermission),
    preHandler: rejectNulCharacters,
  };
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      base,
      {
        schema: {
          tags,
          summary: `List ${spec.path}`,
          description: `Filters: ${Object.keys(spec.filters).join(', ')}. Sort by: ${spec.sortable.join(', ')} (default ${spec.defaultSort}).`,
          params: eventParams,
          querystring: listQuery,
          response: { ...errorResponses, 200: recordPage },
        },
        ...read,
      },
      async (req) => {
        const { page: p, pageSize, q, sort, ...filters } = req.query as Record<string, unknown>;
        return service.list(req.params.eventId, { page: p, pageSize, q, sort } as PageQuery, filters);
      },
    );
    r.get(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Get one ${spec.label.toLowerCase()}`,
          params: recordParams,
          response: one,
        },
        ...read,
      },
      async (req) => service.get(req.params.eventId, req.params.id),
    );
    r.post(
      base,
      {
        schema: {
          tags,
          summary: `Create a ${spec.label.toLowerCase()}`,
          params: eventParams,
          body: spec.createInput,
          response: one,
        },
        ...write,
      },
      async (req, reply) => {
        const access = requireAccess(req);
        const rec = await service.create(access, writeContextOf(access, req.ip), req.body as Record<string, unknown>);
        return reply.status(201).send(rec);
      },
    );
    r.patch(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Update a ${spec.label.toLowerCase()} (send \`rev\` to detect conflicts)`,
          description:
            'Only the fields sent change. With `rev`, the update applies only to that revision; otherwise 409 with the current record in `current`.',
          params: recordParams,
          body: spec.updateInput,
          response: one,
        },
        ...write,
      },
      async (req) => {
        const access = requireAccess(req);
        return service.update(
          access,
          writeContextOf(access, req.ip),
          req.params.id,
          req.body as Record<string, unknown>,
        );
      },
    );
    r.delete(
      `${base}/:id`,
      {
        schema: {
          tags,
          summary: `Delete a ${spec.label.toLowerCase()}`,
          description:
            'Soft delete: the deletion replicates to devices. With `rev`, 409 when the record changed since.',
          params: recordParams,
          querystring: deleteQuery,
          response: errorResponses,
        },
        ...write,
      },
      async (req, reply) => {
        const access = requireAccess(req);
        await service.remove(access, writeContextOf(access, req.ip), req.params.id, req.query.rev);
        return reply.status(204).send();
      },
    );
  };
}
