import { cashRegisterRecord } from '@makeplus/shared';
import { z } from 'zod';
import { hashPassword } from '../accounts/passwords';
import { AppError } from '../http/errors';
import type { HookContext, ResourceSpec } from '../records/crud';
import { cashDeskQueries } from './queries';

const prefix = cashRegisterRecord.shape.receiptPrefix;
const password = z.string().min(8).max(200);
const email = z.string().trim().toLowerCase().pipe(z.email().max(254));

export const cashRegisterCreateInput = z.object({
  name: z.string().trim().min(1).max(100),
  email,
  password,
  isActive: z.boolean().default(true),
  /** Receipt numbers read `<prefix>-<n>`; chosen by the server (C1, C2…) when not given. */
  receiptPrefix: prefix.optional(),
});
export const cashRegisterUpdateInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    email,
    password,
    isActive: z.boolean(),
  })
  .partial()
  .extend({ rev: z.int().min(1).optional() });

/**
 * An email is one login: a register's may not be another register's, nor a person's account (the
 * sign-in tries accounts first, so such a register could never sign in).
 */
async function assertEmailFree(ctx: HookContext, value: string, exceptId?: string) {
  const q = cashDeskQueries(ctx.trx);
  const taken = (await q.registerWithEmail(value, exceptId)) ?? (await q.userWithEmail(value));
  if (taken)
    throw new AppError(
      409,
      'duplicate',
      `${value} is already used to sign in; choose another email for this register`,
      [{ field: 'body.email', reason: 'already used by another register or account' }],
    );
}

/**
 * Cash registers: each its own login (email + password, hashed with argon2id) and its own receipt
 * prefix, so numbers are unique without the network. The password hash never leaves the server.
 */
export function cashRegisterResource(): ResourceSpec {
  return {
    collection: 'cashRegisters',
    path: 'cash-registers',
    tag: 'cash desk',
    label: 'Cash register',
    createInput: cashRegisterCreateInput,
    updateInput: cashRegisterUpdateInput,
    readPermission: 'cashRegisters.manage',
    writePermission: 'cashRegisters.manage',
    filters: { isActive: 'boolean' },
    sortable: ['name', 'email', 'receiptPrefix', 'createdAt', 'updatedAt'],
    defaultSort: 'name',
    search: ['name', 'email', 'receiptPrefix'],
    hooks: {
      async beforeCreate(ctx, input) {
        const { password: pw, receiptPrefix, ...rest } = input as z.infer<typeof cashRegisterCreateInput>;
        await assertEmailFree(ctx, rest.email);
        const used = await cashDeskQueries(ctx.trx).prefixes(ctx.access.eventId);
        let chosen = receiptPrefix;
        if (chosen && used.has(chosen))
          throw new AppError(409, 'duplicate', `The receipt prefix ${chosen} is already used in this event`, [
            { field: 'body.receiptPrefix', reason: 'already used by another register of this event' },
          ]);
        if (!chosen) {
          let n = used.size + 1;
          while (used.has(`C${n}`)) n++;
          chosen = `C${n}`;
        }
        return { ...rest, receiptPrefix: chosen, passwordHash: await hashPassword(pw) };
      },
      async beforeUpdate(ctx, current, patch) {
        const { password: pw, ...rest } = patch as z.infer<typeof cashRegisterUpdateInput>;
        if (rest.email !== undefined) await assertEmailFree(ctx, rest.email, current.id);
        return pw === undefined ? rest : { ...rest, passwordHash: await hashPassword(pw) };
      },
      async beforeDelete(ctx, current) {
        const sales = await cashDeskQueries(ctx.trx).countSales(ctx.access.eventId, current.id);
        if (sales > 0)
          throw new AppError(
            409,
            'has_sales',
            `This register has ${sales} sale(s); deactivate it instead (its sales and receipts stay on record)`,
          );
      },
    },
  };
}
