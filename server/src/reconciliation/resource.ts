import { z } from 'zod';
import { AppError } from '../http/errors';
import type { ResourceSpec } from '../records/crud';

const resolveInput = z.object({
  status: z.enum(['open', 'resolved', 'dismissed']),
  resolution: z.string().trim().max(2000).nullable().optional(),
  rev: z.int().min(1).optional(),
});
const noCreate = z
  .object({})
  .refine(() => false, { message: 'flags are raised by the sync engine and by devices, not created by hand' });

/**
 * The reconciliation inbox over REST: what only showed once offline devices met (double
 * admissions, oversold workshops, receipt collisions, conflicting edits, badges admitted on their
 * signature alone). Organizers list and filter them and resolve or dismiss them; the same records
 * reach organizer devices by sync.
 */
export function reconciliationFlagResource(): ResourceSpec {
  return {
    collection: 'reconciliationFlags',
    path: 'reconciliation-flags',
    tag: 'reconciliation',
    label: 'Reconciliation flag',
    createInput: noCreate as unknown as ResourceSpec['createInput'],
    updateInput: resolveInput,
    readPermission: 'flags.read',
    writePermission: 'flags.resolve',
    filters: { kind: 'string', status: 'string', subjectCollection: 'string', subjectId: 'string' },
    sortable: ['occurredAt', 'receivedAt', 'kind', 'status', 'updatedAt'],
    defaultSort: '-occurredAt',
    search: ['summary', 'subjectId'],
    hooks: {
      async beforeCreate() {
        throw new AppError(405, 'not_allowed', 'Flags are raised by the sync engine and by devices');
      },
      async beforeUpdate(ctx, _current, patch) {
        const resolving = patch.status === 'resolved' || patch.status === 'dismissed';
        const by = ctx.access.principal.kind === 'user' ? ctx.access.principal.userId : null;
        return resolving
          ? { ...patch, resolvedBy: by, resolvedAt: new Date().toISOString() }
          : { ...patch, resolvedBy: null, resolvedAt: null };
      },
      async beforeDelete() {
        throw new AppError(405, 'not_allowed', 'Flags are kept: resolve or dismiss them instead');
      },
    },
  };
}
