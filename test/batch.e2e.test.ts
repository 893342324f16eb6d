/**
 * A station's stack, as the issue shows it: three cover sheets printed with `sohoa coversheet`,
 * rasterised at 200 and 300 dpi (one upside down, one skewed 2°, one 1-bit) and seven pages,
 * digitized with `sohoa digitize --batch`: three documents with the right pages, no sheet in any
 * PDF/A, the blank page left out, and the 100 dpi page without a resolution tag flagged and laid
 * out as A4.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObjectStore, readManifest } from '../storage/objects/index.js';
import { SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { readPdf } from './support/pdf-text.js';
import { runSohoa } from './support/run-cli.js';

const A = '000.00.15.H17-240301-0021';
const B = '000.00.15.H17-240301-0022';
const A4 = { width: 595.3, height: 841.9 };

/** Prints a sheet with the CLI, then scans it: pdftoppm at `dpi`, turned by `rotate`. */
async function printAndScan(env: TestEnvironment, dir: string, args: string[], dpi: number, rotate = 0, mono = false): Promise<Buffer> {
  const pdf = path.join(dir, `sheet-${args.join('-')}.pdf`);
  const run = await runSohoa(env.env, 'coversheet', ...args, '--out', pdf);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout.trim()).toBe(pdf);
  const prefix = path.join(dir, 'raster');
  execFileSync('pdftoppm', ['-r', String(dpi), mono ? '-mono' : '-gray', '-png', '-singlefile', pdf, prefix]);
  const scan = sharp(fs.readFileSync(`${prefix}.png`)).rotate(rotate, { background: '#ffffff' });
  return scan.withMetadata({ density: dpi }).png().toBuffer();
}

describe('sohoa digitize --batch', () => {
  let env: TestEnvironment;
  let stack: string;
  let out: string;
  let run: Awaited<ReturnType<typeof runSohoa>>;
  beforeAll(async () => {
    env = await testEnvironment('batch');
    stack = tempDir('batch-stack');
    out = path.join(env.config.dataDir, 'out');
    const work = tempDir('batch-print');
    const sample = (name: string) => fs.readFileSync(path.join(SAMPLE_DIR, name));
    const toTrinh = sample('to-trinh-dat-dai-p1.jpg');
    const files: Record<string, Buffer> = {
      '01-sheet.png': await printAndScan(env, work, [A], 200, 2),
      '02-don.jpg': sample('don-cap-ban-sao-p1.jpg'),
      '03-bars.png': await pageImage({ width: 1700, height: 2200, dpi: 200 }),
      '04-sheet.png': await printAndScan(env, work, [B, '--kind', 'result', '--procedure', '1.004227'], 300, 180),
      // A phone photo of an A4 page: 827 pixels wide, no resolution in the file.
      '05-photo.png': await sharp(toTrinh).resize(827).png().toBuffer(),
      '06-blank.png': await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#fcfcfc' } })
        .greyscale()
        .withMetadata({ density: 200 })
        .png()
        .toBuffer(),
      '07-sheet.png': await printAndScan(env, work, [A, '--kind', 'result'], 300, 0, true),
      '08-to-trinh.jpg': toTrinh,
      '09-bars.png': await pageImage({ width: 1700, height: 2200, dpi: 200, colour: true }),
      '10-bars.png': await pageImage({ width: 2550, height: 3300, dpi: 300 }),
    };
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(stack, name), bytes);
    fs.rmSync(work, { recursive: true, force: true });
    run = await runSohoa(env.env, 'digitize', stack, '--batch', '--out', out);
  }, 300_000);
  afterAll(async () => {
    fs.rmSync(stack, { recursive: true, force: true });
    await env?.cleanup();
  });

  it('makes three documents, prints a line for each and writes a PDF/A per dossier', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([
      `${A}.01 component: 2 page(s) in the PDF/A`,
      `${B}.01 result: 1 page(s) in the PDF/A, 1 blank left out, 1 under 200 dpi`,
      `${A}.02 result: 3 page(s) in the PDF/A`,
      path.join(out, `${A}.pdf`),
      path.join(out, `${B}.pdf`),
    ]);
    expect(run.stderr).toMatch(
      /^WARNING 05-photo\.png page 1: \d+ dpi \(measured from its text: the file does not say\), under the 200 dpi/m,
    );
    expect(run.stderr).toMatch(/^blank: 06-blank\.png page 1 is kept with the originals, not in the PDF\/A$/m);
  });

  it('gives each document the pages between its sheet and the next, and keeps the sheets with the originals', async () => {
    const store = await openObjectStore(env.config);
    try {
      const a = (await readManifest(store, A))!;
      const b = (await readManifest(store, B))!;
      const pagesOf = (d: (typeof a.documents)[number]) => d.pages.map((p) => p.source.fileName);
      expect(a.documents.map((d) => [d.fileCode, d.kind, d.coverSheet?.fileName, pagesOf(d)])).toEqual([
        [`${A}.01`, 'component', '01-sheet.png', ['02-don.jpg', '03-bars.png']],
        [`${A}.02`, 'result', '07-sheet.png', ['08-to-trinh.jpg', '09-bars.png', '10-bars.png']],
      ]);
      expect(b.procedureCode).toBe('1.004227');
      expect(b.documents.map((d) => [d.kind, d.coverSheet?.fileName, pagesOf(d)])).toEqual([
        ['result', '04-sheet.png', ['05-photo.png', '06-blank.png']],
      ]);
      // Each sheet is an original of its document, byte-for-byte.
      const sheet = b.documents[0]!.originals.find((o) => o.fileName === '04-sheet.png')!;
      expect((await store.get(sheet.key)).equals(fs.readFileSync(path.join(stack, '04-sheet.png')))).toBe(true);
      expect(b.objects.some((o) => o.key === sheet.key && o.role === 'original')).toBe(true);
      const [photo, blank] = b.documents[0]!.pages;
      expect(blank).toMatchObject({ status: 'done', blank: true });
      expect(photo).toMatchObject({ status: 'done', blank: false, resolution: { source: 'text' } });
      expect(photo!.resolution!.dpi).toBeGreaterThan(80);
      expect(photo!.resolution!.dpi).toBeLessThan(120);
    } finally {
      await store.close();
    }
  });

  it('puts no cover sheet and no blank page in any PDF/A, and lays the 100 dpi photo out as A4', async () => {
    const a = await readPdf(fs.readFileSync(path.join(out, `${A}.pdf`)));
    const b = await readPdf(fs.readFileSync(path.join(out, `${B}.pdf`)));
    expect(a.pages).toHaveLength(5);
    expect(b.pages).toHaveLength(1);
    for (const page of [...a.pages, ...b.pages]) expect(page.text).not.toMatch(/TỜ BÌA|Tờ bìa|Đặt tờ bìa/);
    expect(b.pages[0]!.text).toMatch(/TỜ TRÌNH/i);
    expect(Math.abs(b.pages[0]!.width / A4.width - 1)).toBeLessThan(0.02);
    expect(Math.abs(b.pages[0]!.height / A4.height - 1)).toBeLessThan(0.02);
  });

  it('makes no second document when the same stack comes again', async () => {
    const again = await runSohoa(env.env, 'digitize', stack, '--batch', '--out', out);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr.match(/already digitized/g)).toHaveLength(3);
    const store = await openObjectStore(env.config);
    try {
      expect((await readManifest(store, A))!.documents).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('refuses a stack that does not start with a cover sheet, naming the file and page', async () => {
    const loose = tempDir('batch-loose');
    try {
      fs.copyFileSync(path.join(stack, '02-don.jpg'), path.join(loose, '01-don.jpg'));
      fs.copyFileSync(path.join(stack, '04-sheet.png'), path.join(loose, '02-sheet.png'));
      const refused = await runSohoa(env.env, 'digitize', loose, '--batch', '--out', out);
      expect(refused.status).toBe(65);
      expect(refused.stderr).toMatch(/01-don\.jpg page 1: the stack does not start with a cover sheet/);
    } finally {
      fs.rmSync(loose, { recursive: true, force: true });
    }
  }, 60_000);
});
