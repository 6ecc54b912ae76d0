import { newId } from '@makeplus/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_EVENT_ID } from '../src/demo/seed';
import { syncDevice } from './support/syncClient';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
let standId: string;
let exhibitorUserId: string;
let exhibitorToken: string;
let organizerToken: string;
let otherToken: string;
let visitors: { id: string; email: string; phone: string; firstName: string; badgeCode: string }[];

function stamp() {
  const now = new Date().toISOString();
  return { eventId: DEMO_EVENT_ID, seq: 0, rev: 1, createdAt: now, updatedAt: now, deleted: false };
}

function lead(participantId: string, extra: Record<string, unknown> = {}) {
  return {
    id: newId(),
    ...stamp(),
    exhibitorId: standId,
    participantId,
    notes: '',
    rating: null,
    answers: {},
    followUp: false,
    capturedBy: exhibitorUserId,
    firstCapturedAt: new Date().toISOString(),
    visitorEmail: '',
    visitorPhone: '',
    ...extra,
  };
}

function leadScan(deviceId: string, leadId: string, participantId: string, badgeCode: string, exhibitorId = standId) {
  return {
    id: newId(),
    ...stamp(),
    deviceId,
    occurredAt: new Date().toISOString(),
    receivedAt: null,
    exhibitorId,
    leadId,
    participantId,
    badgeCode,
    capturedBy: exhibitorUserId,
    notes: null,
    legacyId: 0,
  };
}

const rows = (docs: unknown[]) => docs.map((d) => ({ newDocumentState: d, assumedMasterState: null }));

beforeAll(async () => {
  t = await startTestApp({ demo: true, participants: 12 });
  const { db } = t.services;
  standId = (await db.selectFrom('exhibitors').select('id').executeTakeFirstOrThrow()).id;
  exhibitorUserId = (
    await db.selectFrom('users').select('id').where('email', '=', DEMO_ACCOUNTS.exhibitor).executeTakeFirstOrThrow()
  ).id;
  exhibitorToken = (await t.login(DEMO_ACCOUNTS.exhibitor)).accessToken;
  organizerToken = (await t.login(DEMO_ACCOUNTS.organizer)).accessToken;
  visitors = (await db
    .selectFrom('participants')
    .select(['id', 'email', 'phone', 'firstName', 'badgeCode'])
    .where('eventId', '=', DEMO_EVENT_ID)
    .where('email', '!=', '')
    .orderBy('legacyId')
    .limit(6)
    .execute()) as typeof visitors;

  // A second stand with its own exhibitor, created as the organizer through the API.
  const org = syncDevice(t, organizerToken);
  const otherStand = {
    id: newId(),
    ...stamp(),
    name: 'PharmaPlus',
    stand: 'C3',
    description: '',
    qualificationQuestions: [],
  };
  expect((await org.push('exhibitors', rows([otherStand]))).status).toBe(200);
  const reg = await t.request('POST', '/api/v1/auth/register', {
    body: { email: 'second-stand@example.com', password: 'second-stand-pass-2', firstName: 'Second' },
  });
  expect(reg.status, JSON.stringify(reg.body)).toBeLessThan(300);
  const added = await t.request('POST', `/api/v1/events/${DEMO_EVENT_ID}/memberships`, {
    token: organizerToken,
    body: { email: 'second-stand@example.com', role: 'exhibitor', exhibitorId: otherStand.id },
  });
  expect(added.status).toBe(201);
  otherToken = (await t.login('second-stand@example.com', 'second-stand-pass-2')).accessToken;
});
afterAll(() => t?.close());

describe('lead capture over sync', () => {
  it('fills the visitor contact details on the lead only once the badge was scanned at the stand', async () => {
    const d = syncDevice(t, exhibitorToken);
    const v = visitors[0] as (typeof visitors)[number];
    // The lead arrives before its scan (separate replications): no contact details yet.
    const l = lead(v.id, { notes: 'Intéressé par l’échographe', rating: 'hot', visitorEmail: 'forged@x.dz' });
    expect((await d.push('leads', rows([l]))).status).toBe(200);
    let pulled = (await d.pullAll('leads')).docs.find((x) => x.id === l.id);
    expect(pulled?.visitorEmail).toBe('');
    // The scan arrives: the server copies email and phone from the registration.
    expect((await d.push('leadScans', rows([leadScan(d.deviceId, l.id, v.id, v.badgeCode)]))).status).toBe(200);
    pulled = (await d.pullAll('leads')).docs.find((x) => x.id === l.id);
    expect(pulled).toMatchObject({ visitorEmail: v.email, visitorPhone: v.phone, notes: 'Intéressé par l’échographe' });
    // That server-side fill is in the audit trail too, as the server's change.
    const filled = await t.services.db
      .selectFrom('auditLog')
      .selectAll()
      .where('collection', '=', 'leads')
      .where('recordId', '=', l.id)
      .where('action', '=', 'update')
      .execute();
    expect(filled.map((a) => [a.before, a.after])).toEqual([
      [
        { visitorEmail: '', visitorPhone: '' },
        { visitorEmail: v.email, visitorPhone: v.phone },
      ],
    ]);
    // Filling them did not move the revision: the stand's offline edit made on revision 1 still applies,
    // and contact details it carries (stale or forged) are put back.
    const edit = { ...l, rev: 2, notes: 'Rappeler lundi', visitorEmail: '', updatedAt: new Date().toISOString() };
    const res = await d.push('leads', [{ newDocumentState: edit, assumedMasterState: l }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    pulled = (await d.pullAll('leads')).docs.find((x) => x.id === l.id);
    expect(pulled).toMatchObject({ notes: 'Rappeler lundi', visitorEmail: v.email, rev: 2 });
    // The exhibitor's participants never carry contact details.
    const people = (await d.pullAll('participants')).docs;
    expect(people.length).toBeGreaterThan(0);
    expect(people.some((p) => 'email' in p && p.email)).toBe(false);
  });

  it('a lead whose scan is already on the server gets the contact details at once', async () => {
    const d = syncDevice(t, exhibitorToken);
    const v = visitors[1] as (typeof visitors)[number];
    const l = lead(v.id);
    expect((await d.push('leadScans', rows([leadScan(d.deviceId, l.id, v.id, v.badgeCode)]))).status).toBe(200);
    expect((await d.push('leads', rows([l]))).status).toBe(200);
    const pulled = (await d.pullAll('leads')).docs.find((x) => x.id === l.id);
    expect(pulled).toMatchObject({ visitorEmail: v.email, rev: 1 });
  });

  it('merges two leads of one visitor created offline by two devices of the stand', async () => {
    const a = syncDevice(t, exhibitorToken);
    const b = syncDevice(t, exhibitorToken);
    const v = visitors[2] as (typeof visitors)[number];
    const first = lead(v.id, {
      notes: 'Vu par Leila',
      rating: null,
      answers: { budget: true },
      firstCapturedAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const second = lead(v.id, {
      notes: 'Vu par Karim',
      rating: 'warm',
      answers: { budget: false, project: 'Q3' },
      followUp: true,
    });
    await a.push('leads', rows([first]));
    await a.push('leadScans', rows([leadScan(a.deviceId, first.id, v.id, v.badgeCode)]));
    await b.push('leads', rows([second]));
    await b.push('leadScans', rows([leadScan(b.deviceId, second.id, v.id, v.badgeCode)]));
    const all = (await a.pullAll('leads')).docs.filter((x) => x.participantId === v.id);
    const live = all.filter((x) => !x.deleted);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      id: first.id,
      rating: 'warm',
      followUp: true,
      answers: { budget: true, project: 'Q3' },
      visitorEmail: v.email,
    });
    expect(live[0]?.notes).toContain('Vu par Leila');
    expect(live[0]?.notes).toContain('Vu par Karim');
    // Both visits still count.
    const scans = (await a.pullAll('leadScans')).docs.filter((s) => s.participantId === v.id);
    expect(scans).toHaveLength(2);
  });

  it('another stand never receives these leads and cannot write into this stand', async () => {
    const other = syncDevice(t, otherToken);
    expect((await other.pullAll('leads')).docs).toHaveLength(0);
    expect((await other.pullAll('leadScans')).docs).toHaveLength(0);
    const v = visitors[3] as (typeof visitors)[number];
    const intrusion = await other.push('leads', rows([lead(v.id)]));
    expect(intrusion.status).toBe(403);
  });
});

describe('lead export', () => {
  it('CSV for the exhibitor: its own leads with every field and answer', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events/${DEMO_EVENT_ID}/leads/export?format=csv`,
      headers: { authorization: `Bearer ${exhibitorToken}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Remarques / Notes');
    expect(lines[0]).toContain('Budget validé ?');
    expect(lines).toHaveLength(4); // header + three live leads
    expect(res.body).toContain('Rappeler lundi');
    expect(res.body).toContain((visitors[0] as (typeof visitors)[number]).email);
    expect(res.body).toContain('oui / yes');
  });

  it('Excel for the organizer holds every stand; the other stand exports nothing of ours', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events/${DEMO_EVENT_ID}/leads/export?format=xlsx`,
      headers: { authorization: `Bearer ${organizerToken}` },
    });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Leads');
    expect(sheet?.rowCount).toBe(4);
    expect(String(sheet?.getRow(2).getCell(1).value)).toContain('MedTech Algérie');

    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/events/${DEMO_EVENT_ID}/leads/export?format=csv`,
      headers: { authorization: `Bearer ${otherToken}` },
    });
    expect(other.statusCode).toBe(200);
    expect(
      other.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
    expect(other.body).not.toContain('Rappeler');
  });

  it('a participant may not export leads', async () => {
    const p = await t.login(DEMO_ACCOUNTS.participant);
    const res = await t.request('GET', `/api/v1/events/${DEMO_EVENT_ID}/leads/export`, { token: p.accessToken });
    expect(res.status).toBe(403);
  });
});
