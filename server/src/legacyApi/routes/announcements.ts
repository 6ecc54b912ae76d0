import {
  type AnnouncementRecord,
  announcementCreateInput,
  announcementUpdateInput,
  audiencesFor,
  isUuid,
  type QuestionRecord,
  questionCreateInput,
} from '@makeplus/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app';
import { findRecord, insertRecord, softDeleteRecord, updateRecord } from '../../sync/recordStore';
import { eventScope, mobileWrite, type Scope } from '../context';
import { detail, errorKey, intParam, LegacyError, legacyUser, NOT_FOUND, paginate, parseDrf } from '../http';
import type { LegacyQueries } from '../queries';
import { announcementShape, audienceByTarget, fullName, questionShape } from '../serializers';

const ANNOUNCEMENT_NAMES = { body: 'description', audience: 'target' };
const QUESTION_NAMES = { sessionId: 'session', text: 'question_text' };

/**
 * Announcements (the original's Annonce) and session questions, over our synced collections:
 * what the app creates here reaches the PWA devices, and the reverse.
 */
export function announcementRoutes(services: Services, q: LegacyQueries) {
  async function announcementsOut(scope: Scope, list: AnnouncementRecord[]) {
    const creators = await q.usersByIds(list.map((a) => a.createdBy));
    return list.map((a) =>
      announcementShape(a, {
        eventName: scope.event.name,
        creator: a.createdBy ? creators.get(a.createdBy) : undefined,
      }),
    );
  }
  async function questionsOut(scope: Scope, list: QuestionRecord[]) {
    const [sessions, users] = await Promise.all([
      q.sessions(scope.event.id),
      q.usersByIds(list.map((x) => x.answeredBy)),
    ]);
    const titles = new Map(sessions.map((s) => [s.id, s.title]));
    return list.map((x) =>
      questionShape(x, {
        sessionTitle: titles.get(x.sessionId) ?? '',
        answeredBy: x.answeredBy ? users.get(x.answeredBy) : undefined,
      }),
    );
  }
  const target = z
    .string()
    .max(40)
    .refine((t) => t in audienceByTarget, { message: 'Not a valid choice.' });
  const announcementBody = z
    .object({
      event: z.uuid().nullish(),
      title: z.string().max(200).nullish(),
      description: z.string().max(20_000).nullish(),
      target: target.nullish(),
    })
    .loose();
  function announcementFields(b: z.infer<typeof announcementBody>) {
    const out: Record<string, unknown> = {};
    if (b.title !== undefined && b.title !== null) out.title = b.title;
    if (b.description !== undefined && b.description !== null) out.body = b.description;
    if (b.target) out.audience = audienceByTarget[b.target];
    return out;
  }

  async function announcementById(request: FastifyRequest, permission?: 'announcements.manage') {
    const id = intParam((request.params as { id: string }).id);
    const scope = await eventScope(request, services, q, { ...(permission ? { permission } : {}) });
    const a = await q.byLegacyId<AnnouncementRecord>('announcements', id);
    if (!a || a.eventId !== scope.event.id) throw detail(404, NOT_FOUND);
    if (!permission && !readable(scope, a)) throw detail(404, NOT_FOUND);
    return { scope, a };
  }
  const readable = (scope: Scope, a: AnnouncementRecord) =>
    audiencesFor(scope.access.role).includes(a.audience) || a.createdBy === scope.principal.userId;

  return async (app: FastifyInstance) => {
    // ---- annonces ---------------------------------------------------------------------------
    app.get('/annonces', async (request) => {
      const query = parseDrf(
        z
          .object({
            target: z.string().max(40).optional(),
            search: z.string().max(200).optional(),
            event: z.string().max(64).optional(),
            event_id: z.string().max(64).optional(),
            page: z.string().max(10).optional(),
          })
          .loose(),
        request.query,
      );
      const scope = await eventScope(request, services, q, {
        requested: query.event ?? query.event_id ?? null,
        permission: 'announcements.read',
      });
      // Only this event's, for this role's audiences (the original also showed every event's `all`).
      let list = (await q.announcements(scope.event.id)).filter((a) => readable(scope, a));
      if (query.target) list = list.filter((a) => a.audience === audienceByTarget[query.target ?? '']);
      if (query.search) {
        const s = query.search.toLowerCase();
        list = list.filter((a) => `${a.title} ${a.body}`.toLowerCase().includes(s));
      }
      return paginate(request, await announcementsOut(scope, list));
    });
    app.get('/annonces/:id', async (request) => {
      const { scope, a } = await announcementById(request);
      return (await announcementsOut(scope, [a]))[0];
    });
    app.post('/annonces', async (request, reply) => {
      const body = parseDrf(announcementBody, request.body);
      const scope = await eventScope(request, services, q, {
        requested: body.event ?? null,
        permission: 'announcements.manage',
      });
      if (!body.target) throw new LegacyError(400, { target: ['This field is required.'] });
      const input = parseDrf(announcementCreateInput, announcementFields(body), ANNOUNCEMENT_NAMES);
      const user = await q.userById(scope.principal.userId);
      const created = await services.db
        .transaction()
        .execute((trx) =>
          insertRecord<AnnouncementRecord>(
            trx,
            'announcements',
            scope.event.id,
            { ...input, createdBy: scope.principal.userId, createdByName: user ? fullName(user) : '' },
            mobileWrite(scope, request),
          ),
        );
      return reply.status(201).send((await announcementsOut(scope, [created]))[0]);
    });
    const updateAnnouncement = async (request: FastifyRequest) => {
      const { scope, a } = await announcementById(request, 'announcements.manage');
      const body = parseDrf(announcementBody, request.body);
      const patch = parseDrf(announcementUpdateInput, announcementFields(body), ANNOUNCEMENT_NAMES);
      const updated = await services.db
        .transaction()
        .execute((trx) =>
          updateRecord<AnnouncementRecord>(
            trx,
            'announcements',
            scope.event.id,
            a.id,
            patch,
            mobileWrite(scope, request),
          ),
        );
      return (await announcementsOut(scope, [updated]))[0];
    };
    app.patch('/annonces/:id', updateAnnouncement);
    app.put('/annonces/:id', updateAnnouncement);
    app.delete('/annonces/:id', async (request, reply) => {
      const { scope, a } = await announcementById(request, 'announcements.manage');
      await services.db
        .transaction()
        .execute((trx) => softDeleteRecord(trx, 'announcements', scope.event.id, a.id, mobileWrite(scope, request)));
      return reply.status(204).send();
    });

    // ---- session questions -----------------------------------------------------------------
    app.get('/session-questions', async (request) => {
      const query = parseDrf(
        z
          .object({
            session: z.string().max(64).optional(),
            session_id: z.string().max(64).optional(),
            is_answered: z.enum(['true', 'false', 'True', 'False']).optional(),
            page: z.string().max(10).optional(),
          })
          .loose(),
        request.query,
      );
      const scope = await eventScope(request, services, q, { permission: 'event.read' });
      const moderator = scope.access.permissions.has('questions.moderate');
      let list = (await q.questions(scope.event.id)).filter(
        // Moderators see every question; others see the visible ones (hidden ones only if theirs).
        (x) => moderator || !x.isHidden || x.askedBy === scope.principal.userId,
      );
      const session = query.session ?? query.session_id;
      if (session) list = list.filter((x) => x.sessionId === session.toLowerCase());
      if (query.is_answered) list = list.filter((x) => x.isAnswered === (query.is_answered?.toLowerCase() === 'true'));
      return paginate(request, await questionsOut(scope, list));
    });
    app.post('/session-questions', async (request, reply) => {
      const principal = legacyUser(request);
      // Who may ask is settled before the body is read. As the original, asking needs the event
      // chosen at sign-in (the token's `event_id`): 400 without one, for a person who has an event
      // to choose; a person with none may not ask at all (403).
      if (!principal.eventId) {
        if (!(await q.fallbackEventId(principal.userId)))
          throw errorKey(403, 'Participant is not registered for this event');
        throw errorKey(400, 'No event context found. Please select an event first.');
      }
      const scope = await eventScope(request, services, q, {
        wording: (status, message) => (status === 404 ? errorKey(404, 'Event not found') : errorKey(403, message)),
      });
      if (!scope.access.participantId || !scope.access.permissions.has('questions.ask'))
        throw errorKey(403, 'Participant is not registered for this event');
      const body = parseDrf(
        z.object({ session: z.string().max(64).nullish(), question_text: z.string().max(2000).nullish() }).loose(),
        request.body,
      );
      const input = parseDrf(
        questionCreateInput,
        { sessionId: body.session ?? undefined, text: body.question_text ?? undefined },
        QUESTION_NAMES,
      );
      const session = await findRecord(services.db, 'sessions', scope.event.id, input.sessionId);
      if (!session)
        throw new LegacyError(400, { session: [`Invalid pk "${input.sessionId}" - object does not exist.`] });
      const created = await services.db.transaction().execute((trx) =>
        insertRecord<QuestionRecord>(
          trx,
          'questions',
          scope.event.id,
          {
            sessionId: input.sessionId,
            participantId: scope.access.participantId,
            askedBy: scope.principal.userId,
            text: input.text,
            askedAt: new Date().toISOString(),
            isAnswered: false,
            answeredBy: null,
            answeredAt: null,
            isHidden: false,
          },
          mobileWrite(scope, request),
        ),
      );
      return reply.status(201).send((await questionsOut(scope, [created]))[0]);
    });
    // A toggle, as the original: answered ↔ not answered (the answer text is not kept).
    app.post('/session-questions/:id/answer', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { permission: 'questions.moderate' });
      const x = await q.byLegacyId<QuestionRecord>('questions', id);
      if (!x || x.eventId !== scope.event.id) throw detail(404, NOT_FOUND);
      const now = new Date().toISOString();
      const updated = await services.db
        .transaction()
        .execute((trx) =>
          updateRecord<QuestionRecord>(
            trx,
            'questions',
            scope.event.id,
            x.id,
            x.isAnswered
              ? { isAnswered: false, answeredBy: null, answeredAt: null }
              : { isAnswered: true, answeredBy: scope.principal.userId, answeredAt: now },
            mobileWrite(scope, request),
          ),
        );
      return (await questionsOut(scope, [updated]))[0];
    });
    app.get('/session-questions/:id', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { permission: 'event.read' });
      const x = await q.byLegacyId<QuestionRecord>('questions', id);
      const moderator = scope.access.permissions.has('questions.moderate');
      if (!x || x.eventId !== scope.event.id || (!moderator && x.isHidden && x.askedBy !== scope.principal.userId))
        throw detail(404, NOT_FOUND);
      return (await questionsOut(scope, [x]))[0];
    });
    // A moderator's edit (the original's ModelViewSet update, gestionnaire only): the text, or the
    // answered state set explicitly (with who and when, as the answer toggle does).
    const updateQuestion = async (request: FastifyRequest) => {
      const id = intParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { permission: 'questions.moderate' });
      const x = await q.byLegacyId<QuestionRecord>('questions', id);
      if (!x || x.eventId !== scope.event.id) throw detail(404, NOT_FOUND);
      const body = parseDrf(
        z
          .object({
            question_text: z.string().trim().min(1, 'This field may not be blank.').max(2000).optional(),
            is_answered: z.boolean().optional(),
          })
          .loose(),
        request.body,
      );
      const patch: Partial<QuestionRecord> = {};
      if (body.question_text !== undefined) patch.text = body.question_text;
      if (body.is_answered !== undefined && body.is_answered !== x.isAnswered)
        Object.assign(
          patch,
          body.is_answered
            ? { isAnswered: true, answeredBy: scope.principal.userId, answeredAt: new Date().toISOString() }
            : { isAnswered: false, answeredBy: null, answeredAt: null },
        );
      const updated = Object.keys(patch).length
        ? await services.db
            .transaction()
            .execute((trx) =>
              updateRecord<QuestionRecord>(trx, 'questions', scope.event.id, x.id, patch, mobileWrite(scope, request)),
            )
        : x;
      return (await questionsOut(scope, [updated]))[0];
    };
    app.patch('/session-questions/:id', updateQuestion);
    app.put('/session-questions/:id', updateQuestion);
    app.delete('/session-questions/:id', async (request, reply) => {
      const id = intParam((request.params as { id: string }).id);
      const scope = await eventScope(request, services, q, { permission: 'questions.moderate' });
      const x = await q.byLegacyId<QuestionRecord>('questions', id);
      if (!x || x.eventId !== scope.event.id) throw detail(404, NOT_FOUND);
      await services.db
        .transaction()
        .execute((trx) => softDeleteRecord(trx, 'questions', scope.event.id, x.id, mobileWrite(scope, request)));
      return reply.status(204).send();
    });

    // ---- e-poster gallery -------------------------------------------------------------------
    // Our platform has no scientific submissions (e-posters): the gallery of any event the caller
    // may read is empty, which the app shows as "no posters".
    app.get('/eposter/:eventId/gallery', async (request) => {
      const eventId = (request.params as { eventId: string }).eventId;
      if (!isUuid(eventId)) throw detail(404, NOT_FOUND);
      if (request.authProblem) legacyUser(request);
      const event = await q.event(eventId.toLowerCase());
      if (!event) throw detail(404, NOT_FOUND);
      return { count: 0, results: [] };
    });
  };
}
