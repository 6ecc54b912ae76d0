import { z } from 'zod';

type Fields = Record<string, z.ZodType>;
type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
export type PatchShape<S extends Fields> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * The body of a partial update (PATCH): every field optional and, unlike `.partial()`, with the
 * create defaults removed. Zod 4 applies a default even inside an optional field, so
 * `z.object(fields).partial()` would silently reset every field the client did not send.
 */
export function patchInput<S extends Fields>(fields: S): z.ZodObject<PatchShape<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const bare = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
    shape[key] = bare.optional();
  }
  return z.object(shape) as unknown as z.ZodObject<PatchShape<S>>;
}
