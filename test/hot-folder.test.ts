/**
 * The hot folder (`sohoa watch`): a file is taken only once complete, however slowly the scanner
 * writes it; a file in a dossier's subfolder goes to that dossier; what cannot be digitized goes
 * to failed/ with its reason; and a watcher restarted after a crash between submission and the
 * move neither loses the file nor digitizes it twice. Runs in the first CI run only: submission is
 * tested on S3 and PostgreSQL by the batch and API suites.
 */

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HotFolder, type HotFolderOptions, scanHotFolder, startHotFolder, submitHotFile } from '../api/hot-folder/index.js';
import { SettleClock } from '../api/hot-folder/settle.js';
import { openServices, type Services } from '../api/services.js';
import { getJson, readManifest, sha256 } from '../storage/objects/index.js';
import { scannedCoverSheet } from './support/coversheet.js';
import { firstRunOnly, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { imageOnlyPdf, pageImage } from './support/fixtures.js';

const STACK_DOSSIER = '000.00.15.H17-240510-0031';
const FOLDER_DOSSIER = '000.00.15.H17-240510-0032';
const RESTART_DOSSIER = '000.00.15.H17-240510-0033';
const FAST: HotFolderOptions = { pollMs: 100, settleMs: 400, maxBytes: 4 << 20 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Waits until the watcher has taken every file out of `dir` (to done/ or failed/), whatever became of them. */
async function waitUntilTaken(dir: string, timeoutMs = 50_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await scanHotFolder(dir)).length > 0) {
    if (Date.now() > end) throw new Error(`timed out waiting for the watcher; the folder holds: ${tree(dir).join(', ')}`);
    await sleep(100);
  }
}

/** A small page of bars (quick to read); `width` makes each one different bytes. */
function barsPage(width = 850): Promise<Buffer> {
  return pageImage({ width, height: 1100, dpi: 100, format: 'jpeg' });
}

interface BatchRecord {
  submittedBy: string;
  files: { fileName: string; sha256: string }[];
}

describe('when a file is complete', () => {
  it('needs its size and mtime unchanged over the settle time, on every poll', () => {
    const clock = new SettleClock(300);
    const at = (size: number, mtimeMs: number) => new Map([['a.pdf', { size, mtimeMs }]]);
    clock.observe(at(10, 1), 0);
    clock.observe(at(10, 1), 200);
    expect(clock.isSettled('a.pdf', 200)).toBe(false);
    clock.observe(at(20, 2), 250);
    expect(clock.isSettled('a.pdf', 500)).toBe(false);
    clock.observe(at(20, 2), 550);
    expect(clock.isSettled('a.pdf', 550)).toBe(true);
    // The same size, a new mtime: rewritten, so not complete yet.
    clock.observe(at(20, 3), 600);
    expect(clock.isSettled('a.pdf', 800)).toBe(false);
    clock.observe(new Map([['empty.pdf', { size: 0, mtimeMs: 1 }]]), 0);
    clock.observe(new Map([['empty.pdf', { size: 0, mtimeMs: 1 }]]), 10_000);
    expect(clock.isSettled('empty.pdf', 10_000)).toBe(false);
    expect(clock.isSettled('a.pdf', 10_000)).toBe(false);
  });
});

describe.runIf(firstRunOnly('sohoa watch', 'it tests the folder, not the store or the catalog'))('sohoa watch', () => {
  let env: TestEnvironment;
  let services: Services;
  const watchers: HotFolder[] = [];
  const dirs: string[] = [];
  const folder = (label: string) => {
    const dir = tempDir(label);
    dirs.push(dir);
    return dir;
  };
  const watch = async (dir: string) => {
    const watcher = await startHotFolder(services.ctx, dir, FAST);
    watchers.push(watcher);
    return watcher;
  };
  const manifest = async (code: string) => readManifest(services.ctx.store, code);
  const batchRecords = async (): Promise<BatchRecord[]> => {
    const records: BatchRecord[] = [];
    for await (const { key } of services.ctx.store.list('batches/'))
      if (key.endsWith('/batch.json')) records.push(await getJson<BatchRecord>(services.ctx.store, key));
    return records;
  };

  beforeAll(async () => {
    env = await testEnvironment('hot-folder');
    services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
  });
  afterAll(async () => {
    for (const w of watchers) await w.stop();
    await services?.close();
    await env?.cleanup();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('one watcher', () => {
    let dir: string;
    beforeAll(async () => {
      dir = folder('hot');
      await watch(dir);
    });

    it('takes a file written slowly in two halves once, after it is complete', async () => {
      const sheet = await sharp(await scannedCoverSheet({ dossierCode: STACK_DOSSIER, kind: 'component' }, { dpi: 200 }))
        .jpeg({ quality: 85 })
        .toBuffer();
      const stack = await imageOnlyPdf([sheet, await barsPage()], 200);
      const half = Math.floor(stack.length / 2);
      const file = await fs.promises.open(path.join(dir, 'stack.pdf'), 'w');
      await file.write(stack, 0, half);
      // Longer than a poll, shorter than the settle time: the watcher sees the half file, unchanged, on several polls.
      await sleep(250);
      await file.write(stack, half, stack.length - half);
      await file.close();

      await waitUntilTaken(dir);
      expect(tree(dir)).toEqual(['done/stack.pdf']);
      expect(fs.readFileSync(path.join(dir, 'done', 'stack.pdf')).equals(stack)).toBe(true);
      const documents = (await manifest(STACK_DOSSIER))!.documents;
      expect(documents).toHaveLength(1);
      expect(documents[0]!.coverSheet?.fileName).toBe('stack.pdf');
      expect(documents[0]!.pages.map((p) => [p.source.index, p.status])).toEqual([[1, 'done']]);
      expect(documents[0]!.originals.map((o) => [o.fileName, o.sha256])).toEqual([['stack.pdf', sha256(stack)]]);
      // Exactly one batch: the half file was never submitted.
      const batches = await batchRecords();
      expect(batches.map((b) => [b.submittedBy, b.files.map((f) => f.sha256)])).toEqual([[`watch:${path.basename(dir)}`, [sha256(stack)]]]);
    }, 60_000);

    it("puts a file in a dossier's subfolder into that dossier, in natural name order, and keeps the subfolder in done/", async () => {
      const sub = path.join(dir, FOLDER_DOSSIER);
      const staging = path.join(dir, '.staging');
      fs.mkdirSync(staging);
      const [two, ten] = [await barsPage(850), await barsPage(800)];
      // Written in a hidden folder, then renamed into place: both complete at once, page-10 written first.
      fs.writeFileSync(path.join(staging, 'page-10.jpg'), ten);
      fs.writeFileSync(path.join(staging, 'page-2.jpg'), two);
      fs.renameSync(staging, sub);

      await waitUntilTaken(dir);
      expect(tree(dir)).toEqual([
        'done/000.00.15.H17-240510-0032/page-10.jpg',
        'done/000.00.15.H17-240510-0032/page-2.jpg',
        'done/stack.pdf',
      ]);
      expect(fs.existsSync(sub)).toBe(true);
      const documents = (await manifest(FOLDER_DOSSIER))!.documents;
      expect(documents.map((d) => [d.fileCode, d.kind, d.originals.map((o) => o.fileName), d.pages.map((p) => p.status)])).toEqual([
        [`${FOLDER_DOSSIER}.01`, 'component', ['page-2.jpg'], ['done']],
        [`${FOLDER_DOSSIER}.02`, 'component', ['page-10.jpg'], ['done']],
      ]);
      expect(documents[0]!.originals[0]!.sha256).toBe(sha256(two));
    }, 90_000);

    it('moves what cannot be digitized to failed/ with its reason, never overwriting, and leaves temporary and hidden files alone', async () => {
      const ignored = ['.scan.jpg', 'scan2.pdf.part', 'scan3.tmp', 'scan4.crdownload', 'scan5.jpg~'];
      for (const name of ignored) fs.writeFileSync(path.join(dir, name), 'still being written');
      fs.writeFileSync(path.join(dir, 'x.pdf'), 'this is a text file, not a scan\n');
      // Written by a station in another encoding: its name is no UTF-8.
      fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/ghi-ch`), Buffer.from([0xfa]), Buffer.from('.txt')]), 'ghi chú\n');
      fs.writeFileSync(path.join(dir, 'loose.jpg'), await barsPage(750));
      fs.writeFileSync(path.join(dir, 'big.tif'), Buffer.alloc(5 << 20, 7));
      fs.mkdirSync(path.join(dir, 'scans-today'));
      fs.writeFileSync(path.join(dir, 'scans-today', 'a.jpg'), await barsPage(700));
      const failed = (name: string) => path.join(dir, 'failed', name);
      const reason = (name: string) => fs.readFileSync(`${failed(name)}.error.txt`, 'utf8');

      await waitUntilTaken(dir);
      expect(reason('x.pdf')).toMatch(/^x\.pdf: not a scanned page: expected JPEG, PNG, TIFF or PDF\n$/);
      expect(reason('loose.jpg')).toMatch(/^loose\.jpg page 1: the stack does not start with a cover sheet/);
      expect(reason('ghi-ch\uFFFD.txt')).toMatch(/^ghi-ch\uFFFD\.txt: not a scanned page/);
      expect(reason('big.tif')).toMatch(/the file is 5 MiB, over the 4 MiB a file may hold/);
      expect(reason('scans-today/a.jpg')).toMatch(/the folder "scans-today" is not named by a dossier code/);
      // A second x.pdf does not overwrite the first.
      fs.writeFileSync(path.join(dir, 'x.pdf'), 'another text file\n');
      await waitUntilTaken(dir);
      expect(fs.readFileSync(failed('x.pdf'), 'utf8')).toBe('this is a text file, not a scan\n');
      expect(fs.readFileSync(failed('x-1.pdf'), 'utf8')).toBe('another text file\n');
      expect(reason('x-1.pdf')).toMatch(/^x\.pdf: not a scanned page/);

      expect(tree(dir).filter((f) => !f.startsWith('done/'))).toEqual(
        [
          ...ignored,
          'failed/big.tif',
          'failed/big.tif.error.txt',
          'failed/ghi-ch\uFFFD.txt',
          'failed/ghi-ch\uFFFD.txt.error.txt',
          'failed/loose.jpg',
          'failed/loose.jpg.error.txt',
          'failed/scans-today/a.jpg',
          'failed/scans-today/a.jpg.error.txt',
          'failed/x-1.pdf',
          'failed/x-1.pdf.error.txt',
          'failed/x.pdf',
          'failed/x.pdf.error.txt',
        ].sort(),
      );
      // None of them made a batch.
      expect(await batchRecords()).toHaveLength(3);
    }, 60_000);
  });

  it('a watcher restarted after submitting a file but before moving it only moves it: one document', async () => {
    const dir = folder('hot-restart');
    const sub = path.join(dir, RESTART_DOSSIER);
    fs.mkdirSync(sub);
    const page = await barsPage(650);
    fs.writeFileSync(path.join(sub, 'scan.jpg'), page);
    // The first watcher's steps up to its "crash": the file found and submitted, never waited for nor moved.
    const [found] = await scanHotFolder(dir);
    const first = await submitHotFile(services.ctx, dir, found!, fs.readFileSync(found!.path));
    expect(first).toMatchObject({ alreadySubmitted: false, documents: [{ dossierCode: RESTART_DOSSIER, documentNumber: 1 }] });
    expect(tree(dir)).toEqual([`${RESTART_DOSSIER}/scan.jpg`]);

    await watch(dir);
    await waitUntilTaken(dir);
    // Moved only once its document was stored, which the fresh watcher waited for.
    const documents = (await manifest(RESTART_DOSSIER))!.documents;
    expect(documents.map((d) => [d.number, d.pages.map((p) => p.status)])).toEqual([[1, ['done']]]);
    expect(tree(dir)).toEqual([`done/${RESTART_DOSSIER}/scan.jpg`]);
    expect((await batchRecords()).filter((b) => b.files.some((f) => f.sha256 === sha256(page)))).toHaveLength(1);
  }, 60_000);
});
