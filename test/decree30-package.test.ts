/**
 * Fields read from the page reach the record (issue 18, item 2): a station uploads a page in the
 * Decree 30 layout with no metadata of its own; the fields read sure enough fill the document's
 * Circular 05/2025 record (the manifest, the PDF/A's XMP), marked as read from the page; a date
 * whose day was written by hand waits for the station, which sees the crop of the page it was
 * read from and confirms it; a field read wrongly can be taken away. Every step is audited.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/http/index.js';
import { openServices, type Services } from '../api/services.js';
import type { Role } from '../storage/catalog/index.js';
import { readManifest } from '../storage/objects/index.js';
import { bearer, type RoleToken, roleTokens } from './support/accounts.js';
import { decree30Page, type GeneratedPage } from './support/decree30-pages.js';
import { type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { multipart } from './support/multipart.js';
import { until } from './support/until.js';

const DOSSIER = '000.00.15.H17-250301-0007';
const URL = `/api/dossiers/${DOSSIER}/documents/1`;

describe('fields read from the page, in the record and for the station to confirm', () => {
  let env: TestEnvironment;
  let services: Services;
  let app: FastifyInstance;
  let tokens: Record<Role, RoleToken>;
  // A council's decision whose day was written in by hand (seed 301: the reader was not tuned on it).
  let page: GeneratedPage;
  const as = (role: Role) => bearer(tokens[role]);
  const manifestDocument = async () => (await readManifest(services.ctx.store, DOSSIER))!.documents[0]!;
  const readFields = async () =>
    Object.fromEntries(
      (await app.inject({ url: `${URL}/read-fields`, headers: as('station') })).json().fields.map((f: { name: string }) => [f.name, f]),
    );

  beforeAll(async () => {
    env = await testEnvironment('decree30-package');
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    tokens = await roleTokens(services.catalog!);
    app = await buildApp(services);
    page = await decree30Page(301);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await env?.cleanup();
  });

  it('fills the record with what was read sure enough, marked as read from the page, into the PDF/A', async () => {
    expect(page.handwritten.issuedDate).toBeDefined();
    const { payload, headers } = multipart({ kind: 'result' }, [{ name: page.fileName, bytes: page.image }]);
    const res = await app.inject({
      method: 'POST',
      url: `/api/dossiers/${DOSSIER}/documents`,
      payload,
      headers: { ...headers, ...as('station') },
    });
    expect(res.statusCode, res.body).toBe(202);
    const progress = await until(
      async () => (await app.inject({ url: res.json().progressUrl, headers: as('station') })).json(),
      (p) => p.state === 'completed',
    );
    expect(progress.state).toBe('completed');
    const metadata = (await manifestDocument()).metadata!;
    const { truth } = page;
    expect(metadata.extracted).toEqual(['codeNotation', 'codeNumber', 'organName', 'subject', 'typeName']);
    expect(metadata.values).toMatchObject({
      organName: truth.organName,
      codeNumber: truth.codeNumber,
      codeNotation: truth.codeNotation,
      typeName: truth.typeName,
      subject: truth.subject,
    });
    // The day was written by hand: the month and year are known, the day is not; nothing is guessed.
    expect(metadata.values.issuedDate).toBeUndefined();
    expect(metadata.read!.issuedDate!.value).toBe(page.handwritten.issuedDate!.slice(0, 7));
    expect(metadata.derived).not.toContain('organName');

    const pdf = path.join(tempDir('decree30-package'), 'document.pdf');
    fs.writeFileSync(pdf, await services.ctx.store.get((await manifestDocument()).pdfKey!));
    const xmp = execFileSync('pdfinfo', ['-meta', pdf], { encoding: 'utf8' });
    for (const name of ['organName', 'codeNumber', 'codeNotation', 'typeName'] as const)
      expect(xmp).toContain(`<tt05vb:${name}>${truth[name]}</tt05vb:${name}>`);
    expect(xmp).not.toContain('<tt05vb:issuedDate>');
  });

  it('shows the station each field read: filled, to confirm (with the crop it was read from), or kept as read', async () => {
    const fields = await readFields();
    expect(fields.organName).toMatchObject({ status: 'filled', value: page.truth.organName });
    expect(fields.issuedDate).toMatchObject({ status: 'to-confirm', page: 1 });
    expect(fields.signerName).toMatchObject({ status: 'read', value: page.truth.signerName });
    expect(fields.place).toMatchObject({ status: 'read', value: page.truth.place });
    const crop = await app.inject({ url: `${fields.issuedDate.cropUrl}?width=600`, headers: as('station') });
    expect([crop.statusCode, crop.headers['content-type']]).toEqual([200, 'image/jpeg']);
    // A strip of the page around the date line: wide and short, with ink in it.
    const { width, height } = await sharp(crop.rawPayload).metadata();
    expect(width).toBeLessThanOrEqual(600);
    expect(height!).toBeLessThan(width! / 3);
    const { channels } = await sharp(crop.rawPayload).stats();
    expect(channels[0]!.min).toBeLessThan(100);
    expect((await app.inject({ url: `${URL}/read-fields`, headers: as('reform') })).statusCode).toBe(403);
    const [entry] = await services.catalog!.audit({ limit: 1, action: 'view-page-image' });
    expect([entry!.target, entry!.detail]).toEqual([DOSSIER, { document: 1, page: 1, field: 'issuedDate' }]);
  });

  it("takes the station's confirmation as its own value, and a field taken away stays away", async () => {
    const date = page.handwritten.issuedDate!;
    const patch = (fields: object) => app.inject({ method: 'PATCH', url: `${URL}/metadata`, payload: fields, headers: as('station') });
    const confirmed = await patch({ issuedDate: date });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().changes.at(-1).fields).toEqual({ issuedDate: { from: null, to: date } });
    expect((await readFields()).issuedDate).toMatchObject({ status: 'given', given: date });

    const removed = await patch({ subject: null });
    expect(removed.json().changes.at(-1).fields).toEqual({ subject: { from: page.truth.subject, to: null } });
    const metadata = (await manifestDocument()).metadata!;
    expect([metadata.values.subject, metadata.extracted]).toEqual([undefined, ['codeNotation', 'codeNumber', 'organName', 'typeName']]);
    expect((await readFields()).subject.status).toBe('to-confirm');
    // The confirmed date is the station's: a later correction of another field keeps it.
    expect(metadata.values.issuedDate).toBe(date);
  });
});
