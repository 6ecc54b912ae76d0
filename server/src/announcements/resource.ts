import { announcementCreateInput, announcementUpdateInput } from '@makeplus/shared';
import type { ResourceSpec } from '../records/crud';

/**
 * Announcements: written by organizers, read by each device for its role's audiences (the sync
 * scope `public`, see sync/scope.ts). The author is the caller, never taken from the body.
 */
export function announcementResource(): ResourceSpec {
  return {
    collection: 'announcements',
    path: 'announcements',
    tag: 'announcements',
    label: 'Announcement',
    createInput: announcementCreateInput,
    updateInput: announcementUpdateInput,
    readPermission: 'announcements.manage',
    writePermission: 'announcements.manage',
    filters: { audience: 'string' },
    sortable: ['createdAt', 'updatedAt', 'title', 'audience'],
    defaultSort: '-createdAt',
    search: ['title', 'body'],
    hooks: {
      async beforeCreate(ctx, input) {
        const p = ctx.access.principal;
        return {
          ...input,
          createdBy: p.kind === 'user' ? p.userId : null,
          createdByName: p.displayName.slice(0, 300),
        };
      },
    },
  };
}
