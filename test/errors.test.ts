/**
 * The error catalogue at work: a corrupt stored object is named by a CorruptObjectError (not a
 * plain Error), fixity reports it, and the API answers each SohoaError with the status its class
 * carries (logging the server-side ones) — Fastify's own errors keep theirs, anything else is a 500 that says nothing more.
 */
import fs from 'node:fs';
import Fastify from 'fastify';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../api/http/errors.js';
import { AccessDeniedError, CorruptObjectError, InputFileError, NotFoundError, UsageError } from '../pipeline/errors.js';
import { DirectoryStore, manifestKey, readManifest, verifyFixity } from '../storage/objects/index.js';
import { tempDir } from './support/env.js';

const CODE = '000.00.15.H17-231114-0001';

describe('corrupt stored objects', () => {
  const dir = tempDir('errors');
  const store = new DirectoryStore(dir);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a missing manifest is no manifest; a broken one is a CorruptObjectError naming its key and reason', async () => {
    expect(await readManifest(store, CODE)).toBeUndefined();
    await store.put(manifestKey(CODE), Buffer.from('{"version": 1, "dossierCode": '));
    const notJson = await readManifest(store, CODE).catch((err: unknown) => err);
    expect(notJson).toBeInstanceOf(CorruptObjectError);
    expect(notJson).toMatchObject({ subject: manifestKey(CODE), code: 'OBJECT_CORRUPT', exitCode: 74 });
    expect((notJson as CorruptObjectError).reason).toMatch(/^not valid JSON/);

    await store.put(manifestKey(CODE), Buffer.from(JSON.stringify({ version: 1, dossierCode: 'someone else', documents: [] })));
    await expect(readManifest(store, CODE)).rejects.toThrow(`${manifestKey(CODE)}: describes dossier "someone else"`);
  });

  it('fixity reports the unreadable manifest by key instead of failing', async () => {
    const report = await verifyFixity(store);
    expect(report.dossiers).toBe(0);
    expect(report.problems).toEqual([{ kind: 'unreadable-manifest', key: manifestKey(CODE), detail: 'describes dossier "someone else"' }]);
  });
});

describe('the API error handler', () => {
  const app = Fastify({ logger: false });
  const logged: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  app.setErrorHandler(errorHandler(log));
  const throwing = (err: Error) => async () => {
    throw err;
  };
  app.get('/usage', throwing(new UsageError('limit must be an integer from 1 to 100')));
  app.get('/input', throwing(new InputFileError('scan.docx', 'not a scanned page')));
  app.get('/missing', throwing(new NotFoundError('dossier X is not in the catalog')));
  app.get('/anonymous', throwing(new AccessDeniedError('missing bearer token', 401)));
  app.get('/forbidden', throwing(new AccessDeniedError('role reform may not do this')));
  app.get('/corrupt', throwing(new CorruptObjectError('dossiers/X/manifest.json', 'not valid JSON')));
  app.get('/bug', throwing(new TypeError('cannot read properties of undefined (reading "pages")')));
  app.post('/json', async () => 'never reached');
  afterAll(() => app.close());

  it('answers each SohoaError with its class status and code, and its message', async () => {
    const answers = await Promise.all(
      ['/usage', '/input', '/missing', '/anonymous', '/forbidden', '/corrupt'].map(async (url) => {
        const res = await app.inject({ url });
        return [url, res.statusCode, res.json().error];
      }),
    );
    expect(answers).toEqual([
      ['/usage', 400, 'USAGE'],
      ['/input', 422, 'INPUT_INVALID'],
      ['/missing', 404, 'NOT_FOUND'],
      ['/anonymous', 401, 'ACCESS_DENIED'],
      ['/forbidden', 403, 'ACCESS_DENIED'],
      ['/corrupt', 500, 'OBJECT_CORRUPT'],
    ]);
    expect((await app.inject({ url: '/input' })).json().message).toBe('scan.docx: not a scanned page');
    // The server-side failure is logged by its code; the clients' mistakes are not.
    expect(logged.join('')).toContain('"code":"OBJECT_CORRUPT"');
    expect(logged.join('')).not.toMatch(/USAGE|INPUT_INVALID|NOT_FOUND|ACCESS_DENIED/);
  });

  it("keeps Fastify's own status, and tells a client nothing of an unexpected error but logs it", async () => {
    const bad = await app.inject({ method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    const bug = await app.inject({ url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toEqual({ error: 'INTERNAL', message: 'internal error' });
    expect(logged.join('')).toContain('cannot read properties of undefined');
  });
});
