/**
 * Bad input, as stations and attackers send it: a folder of seventeen files through `sohoa digitize`
 * as a user runs it, and the same kinds of names through the upload route. Every failed file is
 * named with its own reason, the good pages reach the PDF/A, and nothing is written outside the
 * store.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/http/index.js';
import { openServices, type Services } from '../api/services.js';
import { assertValidKey, readManifest } from '../storage/objects/index.js';
import { bearer, roleTokens } from './support/accounts.js';
import { type BadInput, vietnameseName, writeBadInputs } from './support/bad-inputs.js';
import { SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { multipart } from './support/multipart.js';
import { readPdf } from './support/pdf-text.js';
import { type CliRun, runSohoa } from './support/run-cli.js';
import { until } from './support/until.js';

const DOSSIER = '000.00.15.H17-240305-0031';
const MAX_PAGES = 100;

/** Every file under `dir`, as paths relative to it (bytes decoded). */
function filesBelow(dir: string, under = Buffer.from(dir)): string[] {
  return fs.readdirSync(under, { withFileTypes: true, encoding: 'buffer' }).flatMap((entry) => {
    const full = Buffer.concat([under, Buffer.from(path.sep), entry.name]);
    if (entry.isDirectory()) return filesBelow(dir, full);
    return [path.relative(dir, full.toString('utf8'))];
  });
}

describe('bad input through `sohoa digitize`', () => {
  let root: string;
  let env: TestEnvironment;
  let inputs: BadInput[];
  let run: CliRun;
  const tmpBefore = new Set(fs.readdirSync(os.tmpdir()));

  beforeAll(async () => {
    root = tempDir('bad-input');
    fs.mkdirSync(path.join(root, 'in'));
    inputs = await writeBadInputs(path.join(root, 'in'), MAX_PAGES);
    env = await testEnvironment('bad-input', { SOHOA_DATA_DIR: path.join(root, 'data'), SOHOA_MAX_PAGES: String(MAX_PAGES) });
    // As a user runs it: logs to standard error (where none may appear) at the CLI's own level.
    delete env.env.LOG_LEVEL;
    delete env.env.SOHOA_LOG_FILE;
    run = await runSohoa(env.env, 'digitize', path.join(root, 'in'), '--dossier', DOSSIER, '--out', path.join(root, 'out'));
  }, 240_000);
  afterAll(async () => {
    await env?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('names each failed file with its own reason, and only the failed ones', () => {
    const failed = run.stderr.split('\n').filter((l) => l.startsWith('FAILED '));
    const table: string[] = [];
    for (const input of inputs) {
      const lines = failed.filter((l) => l.startsWith(`FAILED ${input.shown} page `));
      table.push(`| ${input.kind} | ${input.shown.slice(0, 40)} | ${lines[0] ?? `in the PDF/A (${input.goodPages} page)`} |`);
      if (input.reason) {
        expect(lines, input.kind).toHaveLength(1);
        expect(lines[0], input.kind).toMatch(input.reason);
      } else {
        expect(lines, input.kind).toEqual([]);
      }
    }
    // No line names a file that is not in the folder, or carries another file's reason.
    expect(failed).toHaveLength(inputs.filter((i) => i.reason).length);
    console.info(['| input | file | line printed |', '|---|---|---|', ...table, `exit ${run.status}`].join('\n'));
    // Some pages failed: exit 2, and the CLI's own lines only (no JSON log line among them).
    expect(run.status).toBe(2);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/"level":|"msg":/);
    expect(run.stderr).toMatch(/^sohoa: 10 pages failed$/m);
  });

  it('puts every good page into the PDF/A, and no script', async () => {
    const good = inputs.reduce((n, i) => n + i.goodPages, 0);
    expect(run.stdout).toContain(`${DOSSIER}.01 component: ${good} page(s) in the PDF/A, ${inputs.filter((i) => i.reason).length} failed`);
    const pdf = fs.readFileSync(path.join(root, 'out', `${DOSSIER}.pdf`));
    expect((await readPdf(pdf)).pages).toHaveLength(good);
    expect(pdf.toString('latin1')).not.toMatch(/\/JavaScript|\/JS\b|\/OpenAction/);
  });

  it('keeps each name whole in the manifest, and object keys short and safe', async () => {
    const services = await openServices(env.config, { catalog: 'none', pipelineWorkers: false });
    try {
      const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
      const names = manifest.documents[0]!.originals.map((o) => o.fileName);
      expect(names).toEqual(inputs.map((i) => i.shown));
      for (const object of manifest.objects) {
        expect(() => assertValidKey(object.key)).not.toThrow();
        expect(Buffer.byteLength(object.key.split('/').at(-1)!)).toBeLessThanOrEqual(130);
      }
    } finally {
      await services.close();
    }
  });

  it('writes nothing outside the store and the output folder', () => {
    const written = filesBelow(root).filter((f) => !f.startsWith(`in${path.sep}`) && !f.startsWith(`data${path.sep}`));
    expect(written).toEqual([`out${path.sep}${DOSSIER}.pdf`]);
    expect(filesBelow(path.join(root, 'in'))).toHaveLength(inputs.length);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => !tmpBefore.has(f) && /thoat/.test(f))).toEqual([]);
  });
});

describe('bad names and limits through the upload route', () => {
  let env: TestEnvironment;
  let services: Services;
  let app: FastifyInstance;
  let station: Record<string, string>;
  const page = fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'));

  beforeAll(async () => {
    env = await testEnvironment('bad-upload', { SOHOA_MAX_FILE_MB: '1', SOHOA_MAX_UPLOAD_MB: '2', SOHOA_MAX_FILES: '4' });
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    station = bearer((await roleTokens(services.catalog!)).station);
    app = await buildApp(services);
  });
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await env?.cleanup();
  });

  const post = (fields: Record<string, string>, files: { name: string; bytes: Buffer }[]) => {
    const { payload, headers } = multipart(fields, files);
    return app.inject({ method: 'POST', url: `/api/dossiers/${DOSSIER}/documents`, payload, headers: { ...headers, ...station } });
  };

  it('answers an unauthenticated upload before reading its body, and hangs up', async () => {
    const read: number[] = [];
    app.addHook('onResponse', async (request, reply) => {
      if (reply.statusCode === 401) read.push(request.raw.socket.bytesRead);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const answer = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const request = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/api/dossiers/${DOSSIER}/documents`,
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': 100 * 2 ** 20 },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode!, closed: response.headers.connection === 'close' }));
      });
      request.on('error', reject);
      request.write(Buffer.alloc(2 ** 20)); // the first MiB, then the client waits
    });
    expect(answer).toEqual({ status: 401, closed: true });
    expect(read[0]).toBeLessThan(2 ** 20);
  });

  it('takes a 200-character Vietnamese name and a name climbing out with ../, stores them under safe keys', async () => {
    const long = vietnameseName(200);
    expect(long).toHaveLength(200);
    const res = await post({}, [
      { name: long, bytes: page },
      { name: '../../../../tmp/thoat-ra.jpg', bytes: page },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    const manifest = (await until(
      () => readManifest(services.ctx.store, DOSSIER),
      (m) => m !== undefined,
      120_000,
    ))!;
    const originals = manifest.documents[0]!.originals;
    expect(originals.map((o) => o.fileName)).toEqual([long, 'thoat-ra.jpg']);
    for (const o of originals) expect(Buffer.byteLength(path.basename(o.key))).toBeLessThanOrEqual(130);
    expect(manifest.documents[0]!.pages.map((p) => p.status)).toEqual(['done', 'done']);
    expect(fs.existsSync('/tmp/thoat-ra.jpg')).toBe(false);
    // Redis keeps jobs for days: none of its keys or values holds either name.
    const redis = services.ctx.client;
    const held: string[] = [];
    for (const key of await redis.keys(`${env.config.queuePrefix}:*`)) {
      const type = await redis.type(key);
      if (type === 'hash') held.push(key, ...Object.values(await redis.hgetall(key)));
      else if (type === 'string') held.push(key, (await redis.get(key)) ?? '');
      else held.push(key);
    }
    expect(held.join('\n')).toContain(`${DOSSIER}.01`);
    expect(held.join('\n')).not.toMatch(/thoat-ra|Nguyễn Văn Ánh/);
  });

  it('refuses a bad field before reading the files after it, and files over the limits at the byte that crosses them', async () => {
    const before = (await readManifest(services.ctx.store, DOSSIER))!.objects.length;
    const big = Buffer.alloc(1.5 * 2 ** 20, 7);
    const bad = await post({ kind: 'chung-tu' }, [{ name: 'a.jpg', bytes: page }]);
    expect([bad.statusCode, bad.json().message]).toEqual([400, 'kind must be component or result']);
    const tooBig = await post({}, [
      { name: 'a.jpg', bytes: page },
      { name: 'scan-lon.jpg', bytes: big },
    ]);
    expect([tooBig.statusCode, tooBig.json().message]).toEqual([413, 'scan-lon.jpg: a file may hold at most 1 MiB (SOHOA_MAX_FILE_MB)']);
    const tooMuch = await post(
      {},
      [0, 1, 2].map((i) => ({ name: `p${i}.jpg`, bytes: big.subarray(0, 900_000) })),
    );
    expect([tooMuch.statusCode, tooMuch.json().message]).toEqual([
      413,
      'p2.jpg: the upload is over 2 MiB (SOHOA_MAX_UPLOAD_MB); send it as several',
    ]);
    const tooMany = await post(
      {},
      [0, 1, 2, 3, 4].map((i) => ({ name: `p${i}.jpg`, bytes: page.subarray(0, 1000) })),
    );
    expect([tooMany.statusCode, tooMany.json().message]).toEqual([
      413,
      'an upload may hold at most 4 files (SOHOA_MAX_FILES); send it as several',
    ]);
    // Nothing of a refused upload is stored, and its spooled files are gone.
    expect((await readManifest(services.ctx.store, DOSSIER))!.objects.length).toBe(before);
    const stored: string[] = [];
    for await (const { key } of services.ctx.store.list('')) stored.push(key);
    expect(stored.filter((k) => /scan-lon|p2\.jpg|p4\.jpg/.test(k))).toEqual([]);
    expect(fs.readdirSync(path.join(env.config.dataDir, 'spool'))).toEqual([]);
  });
});
