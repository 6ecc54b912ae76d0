import { payableItemCreateInput, payableItemUpdateInput } from '@makeplus/shared';
import { AppError, invalidField } from '../http/errors';
import type { ResourceSpec } from '../records/crud';

const MIRRORED_FIELDS = ['name', 'priceMinor', 'isActive', 'kind', 'sessionId'] as const;

/**
 * What the cash desk sells: dinners, access passes, other goods, and workshops. A workshop's item
 * mirrors its paid session (the server keeps name, price and active state in step, see
 * sessionItems.ts), so it is changed through the session, never here.
 */
export function payableItemResource(): ResourceSpec {
  return {
    collection: 'payableItems',
    path: 'payable-items',
    tag: 'cash desk',
    label: 'Payable item',
    createInput: payableItemCreateInput,
    updateInput: payableItemUpdateInput,
    readPermission: 'sales.read',
    writePermission: 'items.manage',
    filters: { kind: 'string', isActive: 'boolean', sessionId: 'uuid' },
    sortable: ['name', 'kind', 'priceMinor', 'createdAt', 'updatedAt'],
    defaultSort: 'name',
    search: ['name', 'description'],
    hooks: {
      async beforeCreate(_ctx, input) {
        if (input.sessionId !== null && input.sessionId !== undefined)
          throw invalidField('body.sessionId', 'workshop items are created by making the session paid (sessions API)');
        if (input.kind === 'session')
          throw invalidField('body.kind', 'workshop items are created by making the session paid (sessions API)');
        return input;
      },
      async beforeUpdate(_ctx, current, patch) {
        if (current.sessionId !== null) {
          const touched = MIRRORED_FIELDS.filter((f) => f in patch && patch[f] !== current[f]);
          if (touched.length > 0)
            throw new AppError(
              409,
              'mirrored_item',
              'This item mirrors a paid session: change the session (title, price, paid, status) instead',
              touched.map((f) => ({ field: `body.${f}`, reason: 'kept in step with the session' })),
            );
        } else {
          if (patch.sessionId !== undefined && patch.sessionId !== null)
            throw invalidField('body.sessionId', 'only the server links an item to a session');
          if (patch.kind === 'session') throw invalidField('body.kind', 'only a paid session has a workshop item');
        }
        return patch;
      },
      async beforeDelete(_ctx, current) {
        if (current.sessionId !== null)
          throw new AppError(
            409,
            'mirrored_item',
            'This item mirrors a paid session: make the session free or cancel it to take it off sale',
          );
      },
    },
  };
}
