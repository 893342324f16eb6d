/**
 * The web app as the API serves it: the bundle builds, imports nothing of the server's, and every
 * page and asset comes from Sohoa itself, with a content security policy that allows no other origin.
 */

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webBundle } from '../api/web/index.js';
import type { Catalog } from '../storage/catalog/index.js';
import { bearer, roleTokens } from './support/accounts.js';
import { openTestApi, type TestApi } from './support/api-app.js';
import { catalogBackends, cleanupCatalogs } from './support/catalog-fixtures.js';

afterAll(cleanupCatalogs);

describe('web app bundle', () => {
  it('holds only the app and npm packages, never a server module', async () => {
    const { inputs, files } = await webBundle();
    const own = inputs.filter((i) => !i.includes('node_modules/'));
    expect(own.length).toBeGreaterThan(5);
    expect(own.filter((i) => !i.startsWith('api/web/app/'))).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/pdfjs-dist/'))).toBe(true);
    expect(inputs.some((i) => i.includes('node_modules/chart.js/'))).toBe(true);
    expect([...files.keys()].sort()).toEqual(expect.arrayContaining(['app.css', 'app.js', 'icon.svg', 'pdf.worker.mjs']));
    // No address of another origin in what the browser loads: no CDN, no font service.
    expect(files.get('app.css')!.body.toString()).not.toMatch(/url\(\s*['"]?https?:/);
  });
});

describe('web app pages', () => {
  let api: TestApi;
  let catalog: Catalog;
  let app: FastifyInstance;
  beforeAll(async () => {
    api = await openTestApi('web', catalogBackends[0]!);
    ({ catalog, app } = api);
  });
  afterAll(() => api?.close());

  it('answers every page of the app with the same shell, in Vietnamese, locked to its own origin', async () => {
    for (const url of [
      '/',
      '/login',
      '/account',
      '/station',
      '/search',
      '/reform',
      '/admin',
      '/dossiers/000.00.15.H17-231114-0001',
      '/viewer/000.00.15.H17-231114-0001/1',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<html lang="vi">');
      expect(res.body).toContain('<script type="module" src="/assets/app.js">');
      expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves the assets from the package, revalidated by ETag', async () => {
    const js = await app.inject({ url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.length).toBeGreaterThan(100_000);
    const again = await app.inject({ url: '/assets/app.js', headers: { 'if-none-match': String(js.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ url: '/assets/pdf.worker.mjs' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/assets/nothing.js' })).statusCode).toBe(404);
  });

  it('keeps the queue board to admins, and serves it without its remote fonts', async () => {
    expect((await app.inject({ url: '/admin/queues' })).statusCode).toBe(401);
    const tokens = await roleTokens(catalog);
    expect((await app.inject({ url: '/admin/queues', headers: bearer(tokens.archivist) })).statusCode).toBe(403);
    const board = await app.inject({ url: '/admin/queues', headers: bearer(tokens.admin) });
    expect(board.statusCode).toBe(200);
    expect(board.body).toMatch(/<div id="root">/);
    expect(board.body).not.toMatch(/(src|href)="https?:/);
    const queues = (await app.inject({ url: '/admin/queues/api/queues', headers: bearer(tokens.admin) })).json();
    expect(queues.queues.map((q: { name: string }) => q.name)).toEqual(['cleanup', 'ocr', 'package', 'index']);
  });
});
