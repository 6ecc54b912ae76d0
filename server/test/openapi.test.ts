import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_PATH, REGENERATE_COMMAND, renderOpenApi } from '../src/bin/openapiDocument';
import { startTestApp, type TestApp } from './support/testApp';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('OpenAPI document', () => {
  it('the committed docs/api/openapi.json is the one the code generates', () => {
    let committed = '';
    try {
      committed = readFileSync(OPENAPI_PATH, 'utf8');
    } catch {}
    const current = renderOpenApi(t.app);
    if (committed !== current) {
      const before = JSON.parse(committed || '{"paths":{}}').paths as Record<string, unknown>;
      const after = JSON.parse(current).paths as Record<string, unknown>;
      const list = (paths: string[]) =>
        paths.length > 8 ? `${paths.slice(0, 8).join(', ')} and ${paths.length - 8} more` : paths.join(', ');
      const added = Object.keys(after).filter((p) => !(p in before));
      const removed = Object.keys(before).filter((p) => !(p in after));
      const changed = Object.keys(after).filter(
        (p) => p in before && JSON.stringify(before[p]) !== JSON.stringify(after[p]),
      );
      throw new Error(
        [
          'docs/api/openapi.json is out of date.',
          added.length ? `  new paths: ${list(added)}` : '',
          removed.length ? `  removed paths: ${list(removed)}` : '',
          changed.length ? `  changed paths: ${list(changed)}` : '',
          `Regenerate it with \`${REGENERATE_COMMAND}\` and commit docs/api/openapi.json.`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
  });

  it('is rendered the same way twice', () => {
    expect(renderOpenApi(t.app)).toBe(renderOpenApi(t.app));
  });

  it('documents the organizer API with its schemas, errors and bearer auth', () => {
    const doc = JSON.parse(renderOpenApi(t.app));
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const rooms = doc.paths['/api/v1/events/{eventId}/rooms'];
    expect(rooms.get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['eventId', 'page', 'pageSize', 'q', 'sort', 'isActive']),
    );
    expect(rooms.get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/RoomPage');
    expect(rooms.post.requestBody.content['application/json'].schema.required).toEqual(['name', 'capacity']);
    expect(Object.keys(rooms.post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    // Component names must be valid OpenAPI keys (no spaces).
    for (const name of Object.keys(doc.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    const session = doc.components.schemas.Session;
    expect(session.properties.priceMinor).toMatchObject({ type: 'integer', minimum: 0 });
    // PATCH bodies have no defaults: a field left out is left alone.
    const patch =
      doc.paths['/api/v1/events/{eventId}/sessions/{id}'].patch.requestBody.content['application/json'].schema;
    expect(patch.required ?? []).toEqual([]);
    expect(Object.values(patch.properties).some((p) => (p as { default?: unknown }).default !== undefined)).toBe(false);
  });

  it('is served with Swagger UI at /docs', async () => {
    const json = await t.request('GET', '/docs/json');
    expect(json.status).toBe(200);
    expect(json.body.paths['/api/v1/events']).toBeDefined();
    let page = await t.request('GET', '/docs');
    if (page.status === 302) page = await t.request('GET', String(page.headers.location).replace(/^\.\//, '/docs/'));
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger-ui/i);
    const asset = await t.request('GET', '/docs/static/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});
