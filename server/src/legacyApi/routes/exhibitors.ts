import { isUuid, type LeadScanRecord, type ParticipantRecord } from '@makeplus/shared';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../app';
import { insertRecord } from '../../sync/recordStore';
import { eventScope, findBadgeHolder, jsonWithoutUserId, mobileWrite, qrText, type Scope } from '../context';
import {
  detail,
  errorKey,
  intParam,
  invalidPk,
  legacyIntId,
  legacyUser,
  NOT_FOUND,
  paginate,
  parseDrf,
  requireFields,
} from '../http';
import type { LegacyQueries } from '../queries';
import { exposantScanShape, fullName } from '../serializers';

const MOBILE_DEVICE = 'mobile-api';

/**
 * Booth visits (contract §4.2, §5.2): each scan at a stand is a lead-scan fact and the visitor's
 * lead of that stand (one per stand and visitor), the same records the exhibitor's PWA writes.
 * A stand's staff share its visits, so `my_scans` lists the stand's.
 */
export function exhibitorRoutes(services: Services, q: LegacyQueries) {
  /**
   * Whether the caller may record booth visits in the token's event, settled before the body or
   * the query is read (403 whatever they hold).
   */
  async function mayCapture(request: FastifyRequest) {
    legacyUser(request);
    const scope = await eventScope(request, services, q, {
      wording: (status, message) => (status === 404 ? errorKey(404, 'Event not found') : errorKey(403, message)),
      none: () => errorKey(403, 'Not registered for this event'),
    });
    if (!scope.access.permissions.has('leads.capture')) throw errorKey(403, 'Only exhibitors can record booth visits');
  }

  /** The caller's stand in the event named by `event_id` (the token's event), with `{error}` refusals. */
  async function standScope(request: FastifyRequest, rawEventId: unknown) {
    await mayCapture(request);
    if (rawEventId === undefined || rawEventId === null || rawEventId === '')
      throw errorKey(400, 'event_id is required');
    if (!isUuid(rawEventId) || !(await q.event(rawEventId.toLowerCase()))) throw errorKey(404, 'Event not found');
    const scope = await eventScope(request, services, q, {
      requested: rawEventId.toLowerCase(),
      wording: (status, message) =>
        status === 404
          ? errorKey(404, 'Event not found')
          : errorKey(403, message.includes('another event') ? message : 'Not registered for this event'),
    });
    if (scope.event.id !== rawEventId.toLowerCase())
      throw errorKey(403, 'This token is for another event; switch event first');
    if (!scope.access.permissions.has('leads.capture')) throw errorKey(403, 'Only exhibitors can record booth visits');
    if (!scope.access.exhibitorId) throw errorKey(404, 'Exposant participant record not found');
    return { ...scope, exhibitorId: scope.access.exhibitorId };
  }

  async function shapes(scope: Scope, scans: LeadScanRecord[]) {
    const visitors = new Map(
      (await q.participantsOfEvent(scope.event.id, { ids: [...new Set(scans.map((s) => s.participantId))] })).map(
        (p) => [p.id, p],
      ),
    );
    const memberships = await q.memberships(scope.event.id);
    const staff = new Map(memberships.map((m) => [m.userId, m]));
    return scans.map((s) => {
      const m = s.capturedBy ? staff.get(s.capturedBy) : undefined;
      return exposantScanShape(s, {
        // The original's `exposant` was the exhibitor's Participant; ours is the staff member's assignment (UEA) id.
        exposantId: m?.legacyId ?? null,
        exposantName: m ? fullName({ firstName: m.userFirstName, lastName: m.userLastName, email: m.userEmail }) : '',
        visitor: visitors.get(s.participantId),
        eventName: scope.event.name,
      });
    });
  }

  /** A booth visit: the stand's lead of this visitor (created on the first visit) and a lead-scan fact. */
  async function recordVisit(
    scope: Scope & { exhibitorId: string },
    request: FastifyRequest,
    visitor: ParticipantRecord,
    badgeCode: string,
    notes: string | null | undefined,
  ): Promise<LeadScanRecord> {
    const now = new Date().toISOString();
    const write = mobileWrite(scope, request);
    return services.db.transaction().execute(async (trx) => {
      let lead = await q.lead(scope.event.id, scope.exhibitorId, visitor.id, trx);
      if (!lead) {
        lead = await insertRecord<{ id: string }>(
          trx,
          'leads',
          scope.event.id,
          {
            exhibitorId: scope.exhibitorId,
            participantId: visitor.id,
            notes: '',
            rating: null,
            answers: {},
            followUp: false,
            capturedBy: scope.principal.userId,
            firstCapturedAt: now,
            visitorEmail: visitor.email,
            visitorPhone: visitor.phone,
          },
          write,
        );
      }
      return insertRecord<LeadScanRecord>(
        trx,
        'leadScans',
        scope.event.id,
        {
          exhibitorId: scope.exhibitorId,
          leadId: lead.id,
          participantId: visitor.id,
          badgeCode: badgeCode.slice(0, 2048),
          capturedBy: scope.principal.userId,
          // As the original: an empty note is stored as null.
          notes: notes?.trim() ? notes : null,
          deviceId: MOBILE_DEVICE,
          occurredAt: now,
          receivedAt: now,
        },
        write,
      );
    });
  }

  return async (app: FastifyInstance) => {
    app.post('/exposant-scans/scan_participant', async (request, reply) => {
      await mayCapture(request);
      const body = parseDrf(
        z
          .object({
            qr_data: z.unknown().optional(),
            event_id: z.unknown().optional(),
            notes: z.string().max(10_000).nullish(),
          })
          .loose(),
        request.body,
      );
      const text = qrText(body.qr_data);
      if (!text.trim()) throw errorKey(400, 'qr_data is required');
      const scope = await standScope(request, body.event_id);
      if (jsonWithoutUserId(text)) throw errorKey(400, 'Invalid QR code format - user_id missing');
      const holder = await findBadgeHolder(q, scope.event.id, text);
      if (holder.badge.status === 'unreadable') throw errorKey(400, 'Invalid QR code format');
      if (holder.badge.status === 'forged') throw errorKey(400, 'Invalid QR code - badge not genuine');
      if (holder.badge.status === 'revoked') throw errorKey(403, 'This badge has been revoked');
      const visitor = holder.participant;
      if (!visitor && !holder.user) throw errorKey(404, 'Participant not found');
      if (!visitor || visitor.deleted) throw errorKey(403, 'Scanned participant not registered for this event');
      const scan = await recordVisit(scope, request, visitor, holder.badge.code, body.notes);
      const [shape] = await shapes(scope, [scan]);
      return reply.status(201).send({ status: 'success', message: 'Booth visit recorded successfully', scan: shape });
    });

    // Older builds recorded a visit from ids (`scanned_participant`); the stand is the caller's,
    // whatever `exposant` says (the original let anyone write any stand's visits).
    app.post('/exposant-scans', async (request, reply) => {
      await mayCapture(request);
      const body = parseDrf(
        z
          .object({
            exposant: z.unknown().optional(),
            scanned_participant: legacyIntId.optional(),
            event: z.unknown().optional(),
            event_id: z.unknown().optional(),
            notes: z.string().max(10_000).nullish(),
          })
          .loose(),
        request.body,
      );
      requireFields({ scanned_participant: body.scanned_participant });
      const scope = await standScope(request, body.event ?? body.event_id);
      const visitor = await q.participant(scope.event.id, { legacyId: body.scanned_participant as number });
      if (!visitor) throw invalidPk('scanned_participant', body.scanned_participant);
      const scan = await recordVisit(scope, request, visitor, visitor.badgeCode, body.notes);
      const [shape] = await shapes(scope, [scan]);
      return reply.status(201).send(shape);
    });

    app.get('/exposant-scans/my_scans', async (request) => {
      await mayCapture(request);
      const query = parseDrf(z.object({ event_id: z.string().max(64).optional() }).loose(), request.query);
      const scope = await standScope(request, query.event_id);
      const scans = await q.leadScans(scope.event.id, scope.exhibitorId);
      const dayStart = new Date();
      dayStart.setUTCHours(0, 0, 0, 0);
      return {
        total_visits: scans.length,
        today_visits: scans.filter((s) => Date.parse(s.occurredAt) >= dayStart.getTime()).length,
        scans: await shapes(scope, scans),
      };
    });

    app.get('/exposant-scans/export_excel', async (request, reply) => {
      await mayCapture(request);
      const query = parseDrf(
        z.object({ event_id: z.string().max(64).optional(), action: z.string().max(20).optional() }).loose(),
        request.query,
      );
      const principal = legacyUser(request);
      const scope = await standScope(
        request,
        query.event_id ?? principal.eventId ?? (await q.fallbackEventId(principal.userId)),
      );
      const scans = await q.leadScans(scope.event.id, scope.exhibitorId);
      const visitors = new Map(
        (await q.participantsOfEvent(scope.event.id, { ids: [...new Set(scans.map((s) => s.participantId))] })).map(
          (p) => [p.id, p],
        ),
      );
      const stand = await q.exhibitor(scope.event.id, scope.exhibitorId);
      const bytes = await visitsWorkbook(scope.event.name, stand?.name ?? '', scans, visitors);
      const safe = (stand?.name ?? 'stand').replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60);
      const filename = `visites_${safe}_${new Date().toISOString().slice(0, 10)}.xlsx`;
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `${query.action === 'share' ? 'inline' : 'attachment'}; filename="${filename}"`)
        .header('X-Filename', filename)
        .header('Access-Control-Expose-Headers', 'X-Filename, Content-Disposition')
        .send(bytes);
    });

    const listQuery = z
      .object({
        event: z.string().max(64).optional(),
        event_id: z.string().max(64).optional(),
        exposant: z.coerce.number().int().optional(),
        exposant_id: z.coerce.number().int().optional(),
        scanned_participant: z.coerce.number().int().optional(),
        page: z.string().max(10).optional(),
      })
      .loose();
    /** Organizers read every stand's visits; exhibitor staff read their stand's. */
    async function visible(request: FastifyRequest, requested: string | null) {
      const scope = await eventScope(request, services, q, { requested });
      if (scope.access.permissions.has('exports.read') && scope.access.role === 'organizer')
        return { scope, scans: await q.leadScans(scope.event.id, null) };
      if (!scope.access.exhibitorId) throw detail(403, 'Only exhibitors and organizers can read booth visits.');
      return { scope, scans: await q.leadScans(scope.event.id, scope.access.exhibitorId) };
    }
    app.get('/exposant-scans', async (request) => {
      const query = parseDrf(listQuery, request.query);
      const { scope, scans } = await visible(request, query.event ?? query.event_id ?? null);
      let out = await shapes(scope, scans);
      const exposant = query.exposant ?? query.exposant_id;
      if (exposant !== undefined) out = out.filter((s) => s.exposant === exposant);
      if (query.scanned_participant !== undefined)
        out = out.filter((s) => s.scanned_participant === query.scanned_participant);
      return paginate(request, out);
    });
    app.get('/exposant-scans/:id', async (request) => {
      const id = intParam((request.params as { id: string }).id);
      const { scope, scans } = await visible(request, null);
      const one = scans.find((s) => s.legacyId === id);
      if (!one) throw detail(404, NOT_FOUND);
      const [shape] = await shapes(scope, [one]);
      return shape;
    });
  };
}

/** The export: every visit (newest first) and a summary sheet, as the original's export_excel. */
async function visitsWorkbook(
  eventName: string,
  standName: string,
  scans: readonly LeadScanRecord[],
  visitors: Map<string, ParticipantRecord>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MakePlus';
  wb.created = new Date();
  const visits = wb.addWorksheet('Visites');
  visits.columns = [
    { header: 'Date', key: 'date', width: 20 },
    { header: 'Nom', key: 'lastName', width: 22 },
    { header: 'Prénom', key: 'firstName', width: 22 },
    { header: 'Email', key: 'email', width: 32 },
    { header: 'Téléphone', key: 'phone', width: 18 },
    { header: 'Organisation', key: 'organization', width: 28 },
    { header: 'Badge', key: 'badge', width: 22 },
    { header: 'Remarque', key: 'notes', width: 40 },
  ];
  visits.getRow(1).font = { bold: true };
  for (const s of scans) {
    const v = visitors.get(s.participantId);
    visits.addRow({
      date: new Date(s.occurredAt),
      lastName: v?.lastName ?? '',
      firstName: v?.firstName ?? '',
      email: v?.email ?? '',
      phone: v?.phone ?? '',
      organization: v?.organization ?? '',
      badge: v?.legacyBadgeId ?? '',
      notes: s.notes ?? '',
    });
  }
  visits.getColumn('date').numFmt = 'dd/mm/yyyy hh:mm';
  const summary = wb.addWorksheet('Résumé');
  summary.columns = [
    { header: 'Indicateur', key: 'k', width: 30 },
    { header: 'Valeur', key: 'v', width: 40 },
  ];
  summary.getRow(1).font = { bold: true };
  summary.addRow({ k: 'Événement', v: eventName });
  summary.addRow({ k: 'Stand', v: standName });
  summary.addRow({ k: 'Visites', v: scans.length });
  summary.addRow({ k: 'Visiteurs uniques', v: new Set(scans.map((s) => s.participantId)).size });
  summary.addRow({ k: 'Exporté le', v: new Date() });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
