/** The HTTP API on real services: roles, upload, progress, audited reads. */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/http/index.js';
import { openServices, type Services } from '../api/services.js';
import type { Role } from '../storage/catalog/index.js';
import { readManifest } from '../storage/objects/index.js';
import { bearer, type RoleToken, roleTokens, STATION_AGENCY } from './support/accounts.js';
import { STATION_METADATA } from './support/archival-metadata.js';
import { scannedCoverSheet } from './support/coversheet.js';
import { checkEarkPackage } from './support/eark.js';
import { SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { multipart } from './support/multipart.js';
import { until } from './support/until.js';

const DOSSIER = '000.00.15.H17-231114-0004';

describe('HTTP API', () => {
  let env: TestEnvironment;
  let services: Services;
  let app: FastifyInstance;
  let tokens: Record<Role, RoleToken>;
  const as = (role: Role) => bearer(tokens[role]);

  beforeAll(async () => {
    env = await testEnvironment('api');
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    tokens = await roleTokens(services.catalog!);
    app = await buildApp(services);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await env?.cleanup();
  });

  it('answers health checks without a token, telling nothing of the configuration, and nothing else', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = { status: 'ready', redis: 'ok', objects: 'ok', catalog: 'ok' };
    expect((await app.inject({ url: '/readyz' })).json()).toEqual(ready);
    expect((await app.inject({ url: '/api/health' })).json()).toEqual(ready);
    // A client that stops sending is cut off (Fastify's own default is never).
    expect(app.server.requestTimeout).toBe(30 * 60_000);
    expect(app.server.headersTimeout).toBeLessThanOrEqual(60_000);
    const denied = await app.inject({ url: `/api/dossiers/${DOSSIER}` });
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toEqual({ error: 'ACCESS_DENIED', message: 'sign in, or send a bearer token' });
    expect((await app.inject({ url: `/api/dossiers/${DOSSIER}`, headers: { authorization: 'Bearer sohoa_forged' } })).statusCode).toBe(401);
  });

  it('takes an upload from a scanning station and reports its progress until stored', async () => {
    const name = 'to-trinh-dat-dai-p1.jpg';
    const metadata = JSON.stringify(STATION_METADATA);
    const { payload, headers } = multipart({ kind: 'component', procedure: '1.004227', component: 'TP01', metadata }, [
      { name, bytes: fs.readFileSync(path.join(SAMPLE_DIR, name)) },
      { name: 'readme.txt', bytes: Buffer.from('not a scan') },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: `/api/dossiers/${DOSSIER}/documents`,
      payload,
      headers: { ...headers, ...as('station') },
    });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ dossierCode: DOSSIER, documentNumber: 1, fileCode: `${DOSSIER}.01`, pages: 2, alreadyDigitized: false });
    expect(body.rejected).toEqual([
      { file: 'readme.txt', page: 2, reason: 'readme.txt: not a scanned page: expected JPEG, PNG, TIFF or PDF' },
    ]);
    let progress: { state?: string; failures?: unknown[] } = {};
    for (let i = 0; i < 300; i++) {
      progress = (await app.inject({ url: body.progressUrl, headers: as('station') })).json();
      if (progress.state === 'completed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(progress).toMatchObject({ state: 'completed', pagesDone: 1, pdfUrl: `/api/dossiers/${DOSSIER}/documents/1/pdf` });
    expect(progress.failures).toHaveLength(1);
    // The procedure's component the station named is the document's, in the manifest.
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents[0]!.component).toBe('TP01');
    // The Circular 05/2025 fields sent with the upload are the document's and the dossier's.
    expect(manifest.documents[0]!.metadata!.values).toMatchObject({ codeNotation: 'UBND-KTTH', issuedDate: '2025-02-04' });
    expect(manifest.metadata!.values).toMatchObject({ title: STATION_METADATA.dossier.title, maintenance: '20 năm' });
  });

  it("corrects a document's metadata: audited, a new manifest, and the catalog follows", async () => {
    const url = `/api/dossiers/${DOSSIER}/documents/1/metadata`;
    const patch = (role: Role, payload: unknown) => app.inject({ method: 'PATCH', url, payload: payload as object, headers: as(role) });
    expect((await patch('reform', { codeNotation: 'UBND-VX' })).statusCode).toBe(403);
    expect((await patch('archivist', { mode: '07' })).json().message).toMatch(/^metadata\.document\.mode must be one of/);
    const fixed = await patch('archivist', { codeNotation: 'UBND-VX' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().values.codeNotation).toBe('UBND-VX');
    expect(fixed.json().changes.at(-1)).toMatchObject({
      by: expect.any(String),
      fields: { codeNotation: { from: 'UBND-KTTH', to: 'UBND-VX' } },
    });
    const search = (notation: string) =>
      app
        .inject({ url: `/api/search?q=ph%C6%B0%E1%BB%9Dng&dossier=${DOSSIER}&codeNotation=${notation}`, headers: as('archivist') })
        .then((r) => r.json().total);
    expect(
      await until(
        () => search('UBND-VX'),
        (n) => n > 0,
      ),
    ).toBeGreaterThan(0);
    expect(await search('UBND-KTTH')).toBe(0);
    const [entry] = await services.catalog!.audit({ limit: 1, action: 'correct-metadata' });
    expect([entry!.target, entry!.detail]).toEqual([DOSSIER, { document: 1, changed: ['codeNotation'] }]);
  });

  it('exports a dossier as an E-ARK package (admin only, audited), the same files as the folder export', async () => {
    const url = `/api/dossiers/${DOSSIER}/export?format=eark`;
    expect((await app.inject({ url, headers: as('archivist') })).statusCode).toBe(403);
    const res = await app.inject({ url, headers: as('admin') });
    expect([res.statusCode, res.headers['content-type'], res.headers['content-disposition']]).toEqual([
      200,
      'application/zip',
      `attachment; filename="${DOSSIER}.eark.zip"`,
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-eark-zip-'));
    try {
      for (const [name, bytes] of Object.entries(unzipSync(res.rawPayload))) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), bytes);
      }
      const checked = checkEarkPackage(path.join(dir, DOSSIER));
      expect(checked.tree).toEqual(expect.arrayContaining(['METS.xml', `representations/pdfa/data/${DOSSIER}.01.pdf`]));
      expect(checked.premisEvents).toContain('digitization');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const [entry] = await services.catalog!.audit({ limit: 1, action: 'export-eark' });
    expect(entry!.target).toBe(DOSSIER);
  });

  it("rejects a bad dossier code, and a station reading another agency's dossier", async () => {
    const { payload, headers } = multipart({}, [{ name: 'a.jpg', bytes: Buffer.from('x') }]);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/dossiers/HS-1/documents',
      payload,
      headers: { ...headers, ...as('station') },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('CODE_INVALID');
    // A path that is no dossier code never reaches the route, nor the object store.
    for (const url of [
      '/api/dossiers/..%2F..%2Fetc',
      '/api/dossiers/..%2F..%2Fetc/pdf',
      '/api/dossiers/..%2F..%2Fetc/documents/1/progress',
      `/api/dossiers/${DOSSIER}%2F..%2F/documents/1/pdf`,
      '/api/dossiers/%00abc/documents/1/pages/1/thumbnail',
    ]) {
      const refused = await app.inject({ url, headers: as('archivist') });
      expect([url, refused.statusCode, refused.json().error]).toEqual([url, 400, 'CODE_INVALID']);
    }
    expect((await app.inject({ url: '/api/dossiers/000.21.30.H17-231114-0001', headers: as('station') })).statusCode).toBe(403);
    const otherAgency = multipart({ agency: '000.21.30.H17' }, [{ name: 'a.jpg', bytes: Buffer.from('x') }]);
    const filedElsewhere = await app.inject({
      method: 'POST',
      url: `/api/dossiers/${DOSSIER}/documents`,
      payload: otherAgency.payload,
      headers: { ...otherAgency.headers, ...as('station') },
    });
    expect(filedElsewhere.statusCode).toBe(403);
    // A component code is checked before any file is stored; a result is no component.
    const badMetadata = JSON.stringify({ document: { mode: '09' } });
    for (const fields of [
      { component: 'TP 01/../x' },
      { kind: 'result', component: 'TP01' },
      { metadata: badMetadata },
      { metadata: '{not json' },
    ] as Record<string, string>[]) {
      const form = multipart(fields, [{ name: 'a.jpg', bytes: Buffer.from('x') }]);
      const refused = await app.inject({
        method: 'POST',
        url: `/api/dossiers/${DOSSIER}/documents`,
        payload: form.payload,
        headers: { ...form.headers, ...as('station') },
      });
      const reason = fields.metadata
        ? /^metadata(\.document\.mode must be one of 01 \(Công khai\)| is not valid JSON)/
        : fields.kind
          ? /^a component code is given for component documents, not results$/
          : /^component code "TP 01\/\.\.\/x" is not/;
      expect([refused.statusCode, refused.json().message]).toEqual([400, expect.stringMatching(reason)]);
    }
    expect(filedElsewhere.json().message).toMatch(/may not file a document under agency 000\.21\.30\.H17/);
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/api/dossiers/000.21.30.H17-231114-0001/documents',
      payload,
      headers: { ...headers, ...as('station') },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/audit', headers: as('station') })).statusCode).toBe(403);
  });

  it('reads the pdfa and sign fields: a bad value, signing not allowed by an admin, or signing without a certificate, is refused before queueing', async () => {
    const upload = async (fields: Record<string, string>) => {
      const { payload, headers } = multipart(fields, [
        { name: 'a.jpg', bytes: fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')) },
      ]);
      return app.inject({ method: 'POST', url: `/api/dossiers/${DOSSIER}/documents`, payload, headers: { ...headers, ...as('station') } });
    };
    const controlled = await upload({ title: 'Tờ trình\u0007 số 12' });
    expect(controlled.statusCode).toBe(400);
    expect(controlled.json().message).toMatch(/control characters/);
    const badPart = await upload({ pdfa: '3u' });
    expect(badPart.statusCode).toBe(400);
    expect(badPart.json()).toEqual({ error: 'USAGE', message: 'pdfa must be 2b or 1b' });
    // The catalog may be a PostgreSQL database an earlier run left a policy in: none to begin with.
    const none = await app.inject({ method: 'PUT', url: '/api/settings/signing', payload: { agencies: [] }, headers: as('admin') });
    expect(none.json()).toEqual({ agencies: [] });
    const notAllowed = await upload({ sign: 'true' });
    expect(notAllowed.statusCode).toBe(403);
    expect(notAllowed.json().message).toMatch(/an admin has not allowed this submitter to have files signed/);
    const policy = { agencies: [STATION_AGENCY, '000.21.30.H17'] };
    expect((await app.inject({ method: 'PUT', url: '/api/settings/signing', payload: policy, headers: as('station') })).statusCode).toBe(
      403,
    );
    const set = await app.inject({ method: 'PUT', url: '/api/settings/signing', payload: policy, headers: as('admin') });
    expect(set.json()).toEqual({ agencies: ['000.00.15.H17', '000.21.30.H17'] });
    const bad = await app.inject({ method: 'PUT', url: '/api/settings/signing', payload: { agencies: ['ubnd'] }, headers: as('admin') });
    expect(bad.statusCode).toBe(400);
    const audited = await app.inject({ url: '/api/audit?action=set-signing', headers: as('admin') });
    expect(audited.json()[0]).toMatchObject({ action: 'set-signing', detail: { before: [], after: policy.agencies } });
    // Allowed now: what stops it is the missing certificate.
    const unsignable = await upload({ sign: 'true', pdfa: '1b' });
    expect(unsignable.statusCode).toBe(400);
    expect(unsignable.json().message).toMatch(/no agency certificate is configured \(SOHOA_SIGN_P12\)/);
  });

  it('prints cover sheets for a station, and splits a stack by them: agency checked per sheet, idempotency key honoured', async () => {
    const BATCH_DOSSIER = '000.00.15.H17-240310-0041';
    const sheetPdf = await app.inject({
      url: `/api/dossiers/${BATCH_DOSSIER}/coversheet?kind=result&procedure=1.004227`,
      headers: as('station'),
    });
    expect(sheetPdf.statusCode).toBe(200);
    expect(sheetPdf.headers['content-type']).toBe('application/pdf');
    expect(sheetPdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ url: '/api/dossiers/000.21.30.H17-240310-0001/coversheet', headers: as('station') })).statusCode).toBe(403);
    expect((await app.inject({ url: `/api/dossiers/${BATCH_DOSSIER}/coversheet?procedure=1-2`, headers: as('station') })).statusCode).toBe(
      400,
    );

    const page = { name: 'p1.png', bytes: await pageImage({ dpi: 200 }) };
    const post = (files: { name: string; bytes: Buffer }[], extra: Record<string, string> = {}) => {
      const { payload, headers } = multipart({}, files);
      return app.inject({ method: 'POST', url: '/api/batches', payload, headers: { ...headers, ...as('station'), ...extra } });
    };
    const loose = await post([page]);
    expect(loose.statusCode).toBe(422);
    expect(loose.json().message).toMatch(/^p1\.png page 1: the stack does not start with a cover sheet/);
    const foreignSheet = {
      name: 'sheet.png',
      bytes: await scannedCoverSheet({ dossierCode: '000.21.30.H17-240310-0001', kind: 'component' }, { dpi: 200 }),
    };
    const foreign = await post([foreignSheet, page]);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().message).toMatch(/may not act on dossier 000\.21\.30\.H17-240310-0001/);

    const sheet = {
      name: 'sheet.png',
      bytes: await scannedCoverSheet({ dossierCode: BATCH_DOSSIER, kind: 'result', procedureCode: '1.004227' }, { dpi: 200 }),
    };
    const key = { 'idempotency-key': 'station-upload-0001' };
    const blank = {
      name: 'blank.png',
      bytes: await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#fbfbf8' } })
        .withMetadata({ density: 200 })
        .png()
        .toBuffer(),
    };
    const made = await post([sheet, page, blank], key);
    expect(made.statusCode, made.body).toBe(202);
    expect(made.json()).toMatchObject({
      alreadySubmitted: false,
      documents: [{ fileCode: `${BATCH_DOSSIER}.01`, kind: 'result', pages: 2, alreadyDigitized: false }],
      sheets: [{ file: 'sheet.png', page: 1, dossierCode: BATCH_DOSSIER, kind: 'result', procedureCode: '1.004227', empty: false }],
    });
    // A retry of that request, with the page re-encoded on the way: the same batch, no second document.
    const retried = await post([sheet, { name: 'p1.jpg', bytes: await pageImage({ dpi: 200, format: 'jpeg' }) }], key);
    expect(retried.json()).toMatchObject({
      batchId: made.json().batchId,
      alreadySubmitted: true,
      documents: [{ fileCode: `${BATCH_DOSSIER}.01` }],
    });
    const done = await until(
      async () => (await app.inject({ url: `/api/dossiers/${BATCH_DOSSIER}/documents/1/progress`, headers: as('station') })).json(),
      (p) => p.state === 'completed',
    );
    expect(done).toMatchObject({ pagesDone: 2 });
    // The blank page is listed with a status of its own: it is not in the PDF/A. The indexer may
    // catch up after the job completes, and the dossier may be in the catalog before its document.
    const dossier = await until(
      async () => app.inject({ url: `/api/dossiers/${BATCH_DOSSIER}`, headers: as('archivist') }),
      (r) => r.statusCode === 200 && r.json().documents?.length > 0,
    );
    expect(dossier.json().documents[0].pages.map((p: { status: string }) => p.status)).toEqual(['done', 'blank']);

    const withdraw = (body: object) =>
      app.inject({ method: 'POST', url: `/api/dossiers/${BATCH_DOSSIER}/documents/1/withdraw`, payload: body, headers: as('admin') });
    expect((await withdraw({})).statusCode).toBe(400);
    const withdrawn = await withdraw({ reason: 'sai loại: là thành phần hồ sơ' });
    expect(withdrawn.json()).toMatchObject({
      fileCode: `${BATCH_DOSSIER}.01`,
      by: tokens.admin.actor,
      reason: 'sai loại: là thành phần hồ sơ',
    });
    expect((await withdraw({ reason: 'again' })).statusCode).toBe(409);
    const redo = await app.inject({ method: 'POST', url: `/api/dossiers/${BATCH_DOSSIER}/documents/1/redo`, headers: as('station') });
    expect(redo.statusCode).toBe(409);
  }, 120_000);

  it('serves dossiers and PDF/A files to archivists, and records who read what', async () => {
    for (let i = 0; i < 100 && !(await services.catalog!.getDossier(DOSSIER)); i++) await new Promise((r) => setTimeout(r, 100));
    const dossier = await app.inject({ url: `/api/dossiers/${DOSSIER}`, headers: as('archivist') });
    expect(dossier.statusCode).toBe(200);
    expect(dossier.json()).toMatchObject({ code: DOSSIER, procedureCode: '1.004227' });
    const pdf = await app.inject({ url: `/api/dossiers/${DOSSIER}/documents/1/pdf`, headers: as('archivist') });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ url: `/api/dossiers/${DOSSIER}/documents/7/pdf`, headers: as('archivist') })).statusCode).toBe(404);
    const audit = (
      await app.inject({ url: `/api/audit?limit=10&actor=${encodeURIComponent(tokens.archivist.actor)}`, headers: as('admin') })
    ).json();
    expect(audit.slice(0, 2).map((a: { actor: string; action: string; target: string }) => [a.actor, a.action, a.target])).toEqual([
      [tokens.archivist.actor, 'open-pdf', DOSSIER],
      [tokens.archivist.actor, 'read-dossier', DOSSIER],
    ]);
    expect((await app.inject({ url: '/api/audit', headers: as('archivist') })).statusCode).toBe(403);
  });

  it('records refused tokens, and reads nothing it cannot record (the audit fails closed)', async () => {
    const refused = await app.inject({ url: `/api/dossiers/${DOSSIER}/pdf`, headers: { authorization: 'Bearer sohoa_revoked-or-forged' } });
    expect(refused.statusCode).toBe(401);
    const [entry] = (await app.inject({ url: '/api/audit?action=token-refused&limit=1', headers: as('admin') })).json();
    expect(entry).toMatchObject({
      actor: '(refused token)',
      action: 'token-refused',
      target: '/api/dossiers/:code/pdf',
      detail: { method: 'GET' },
    });
    const sql = (services.catalog as unknown as { sql: { query(text: string): Promise<unknown> } }).sql;
    await sql.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    try {
      for (const url of [`/api/dossiers/${DOSSIER}/documents/1/pdf`, `/api/dossiers/${DOSSIER}`, '/api/search?q=UBND']) {
        const read = await app.inject({ url, headers: as('archivist') });
        expect(read.statusCode, url).toBe(500);
        expect(read.rawPayload.includes('%PDF-'), url).toBe(false);
        expect(read.body, url).not.toMatch(/procedureCode|hits/);
      }
    } finally {
      await sql.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    }
  });

  it('serves Prometheus metrics: queues, OCR time, pages per minute, failed pages, route latency', async () => {
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
    expect(value(/^sohoa_ocr_seconds_count (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^sohoa_queue_jobs\{queue="ocr",state="completed"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^sohoa_pages_per_minute \d+$/m);
    expect(text).toMatch(/^sohoa_pages_failed_total \d+$/m);
    expect(text).toMatch(
      /^sohoa_http_request_seconds_count\{method="POST",route="\/api\/dossiers\/:code\/documents",status="202"\} [1-9]/m,
    );
    // Route patterns, never URLs: no dossier code in a label.
    expect(text).not.toContain(DOSSIER);
  });

  it('serves its OpenAPI description and Swagger UI from the package, no CDN', async () => {
    const spec = (await app.inject({ url: '/api/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/search', '/api/session', '/api/dossiers/{code}/documents', '/readyz']),
    );
    expect(spec.paths['/api/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'procedure']),
    );
    const ui = await app.inject({ url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toMatch(/swagger/i);
    expect(ui.body).not.toMatch(/(src|href)="https?:/);
  });
});
