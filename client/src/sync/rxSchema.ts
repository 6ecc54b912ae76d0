import type { CollectionSpec } from '@makeplus/shared';
import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/**
 * The device's RxDB schema, derived from the shared zod record schema (the single source of truth).
 * - `deleted` becomes RxDB's own `_deleted` (replication maps it), so it is not a field here;
 * - every collection gets a `seq` index: local writes carry seq 0 until the server's copy comes back,
 *   which makes "pending writes" one indexed count;
 * - indexed fields get the bounds RxDB requires (maxLength for strings; min/max/multipleOf for numbers).
 */
export function toRxSchema(spec: CollectionSpec): RxJsonSchema<Record<string, unknown>> {
  const json = z.toJSONSchema(spec.schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const properties: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(json.properties ?? {})) {
    if (key === 'deleted') continue;
    properties[key] = clean(value);
  }
  const indexes = [...spec.indexes.map((i) => [...i]), ['seq']];
  for (const field of new Set(indexes.flat())) {
    const p = properties[field];
    if (!p) throw new Error(`${spec.name}: index on unknown field ${field}`);
    properties[field] = indexable(p, field);
  }
  properties.id = { type: 'string', maxLength: 36 };
  return {
    title: spec.name,
    version: 0,
    primaryKey: 'id',
    type: 'object',
    properties,
    required: (json.required ?? []).filter((r) => r !== 'deleted'),
    indexes: indexes.map((i) => (i.length === 1 ? (i[0] as string) : i)),
  } as RxJsonSchema<Record<string, unknown>>;
}

/** JSON-schema keywords RxDB has no use for (and `$schema` it refuses). */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, pattern: _p, format: _f, ...rest } = schema;
  return rest;
}

function indexable(p: JsonSchema, field: string): JsonSchema {
  const types = Array.isArray(p.type) ? p.type : p.anyOf ? (p.anyOf as JsonSchema[]).map((a) => a.type) : [p.type];
  if (types.includes('integer') || types.includes('number')) {
    return { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, multipleOf: 1 };
  }
  const maxLength = typeof p.maxLength === 'number' ? p.maxLength : field.endsWith('At') ? 40 : 64;
  return { type: 'string', maxLength };
}
