/**
 * Each cleanup step measured on pages with a known defect: the bundled sample page turned, skewed,
 * bordered, stamped or shaded by a known amount.
 */

import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { binarise, cleanBackground, despeckle, type InkBitmap, nearInk, speckArea } from '../pipeline/cleanup/binarise.js';
import { findContentRegion } from '../pipeline/cleanup/border.js';
import { outOfMemory } from '../pipeline/cleanup/cleanup-page.js';
import { estimateSkew, skewPoints, TRUSTED_SKEW_CONFIDENCE } from '../pipeline/cleanup/deskew.js';
import { cleanupInThread, cleanupPage } from '../pipeline/cleanup/index.js';
import { flattenIllumination, greyWithoutSeals, inkCoverage } from '../pipeline/cleanup/ink.js';
import { quarterTurned } from '../pipeline/cleanup/ink-points.js';
import { detectOrientation } from '../pipeline/cleanup/orientation.js';
import { InputFileError } from '../pipeline/errors.js';
import { extractPage } from '../pipeline/input/index.js';
import type { GreyRaster } from '../pipeline/raster.js';
import { CORPUS, corpusAvailable, firstRunOnly, SAMPLE_DIR } from './support/env.js';
import { greyRaster, rotateQuarter, textPage } from './support/fixtures.js';

/** Pipeline stages only: the PostgreSQL/S3 run has nothing more to find here. */
const RUN = firstRunOnly('cleanup', 'it tests pipeline stages, which neither the catalog nor the object store driver touches');

/** The sample's own skew (../shared/corpus/synthetic/MANIFEST.tsv: to-trinh-dat-dai-p1.jpg skew=0.31). */
const SAMPLE_SKEW = 0.31;
const sample = fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'));

/** The sample's paper without the faint scanner border gen_scans.py gave it. */
async function paper(): Promise<Buffer> {
  const box = findContentRegion(await greyRaster(sample));
  return sharp(sample).extract(box).png().toBuffer();
}

async function skewed(angle: number): Promise<Buffer> {
  // sharp turns clockwise for positive angles; text lines then slope down, a negative skew.
  return sharp(await paper())
    .rotate(-angle, { background: '#ffffff' })
    .png()
    .toBuffer();
}

/** Dark specks on a `share` of the raster's pixels, as a scanner's dust and paper grain give. */
function speckle(raster: GreyRaster, share: number): void {
  let seed = 11;
  for (let i = 0; i < raster.data.length; i++) {
    // xorshift32: no lattice for the profile to lock onto.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    if ((seed >>> 0) / 2 ** 32 < share) raster.data[i] = 60;
  }
}

describe.runIf(RUN)('deskew', () => {
  it.each([-9.5, -4.2, -1.0, 0, 2.5, 7.3])('measures a page turned by %d° within 0.2°', async (angle) => {
    const { angle: measured } = estimateSkew(await greyRaster(await skewed(angle), 1200));
    expect(Math.abs(measured - (angle + SAMPLE_SKEW))).toBeLessThanOrEqual(0.2);
  });

  // A 200 dpi A4 page is analysed 1654 pixels wide: a skew halfway between two steps of the
  // coarse search drifted its lines across the page by 7 pixels either way, and with the paper's
  // specks a far angle won (three of the 224 tune pages of the stress corpus, 200 dpi among them).
  it.each([0.25, -0.26, 0.74, -1.24])(
    'measures a specked page 1654 pixels wide turned %d°, halfway between coarse steps, within 0.1°',
    async (angle) => {
      const words = 'Thành ủy Đà Nẵng đã tổ chức Hội nghị quán triệt Chỉ thị đến các cấp ủy đảng với 76 điểm cầu và sự tham gia'.split(' ');
      const lines = Array.from({ length: 16 }, (_, i) => Array.from({ length: 13 }, (_, j) => words[(i * 7 + j) % words.length]).join(' '));
      const page = await greyRaster(sharp(await textPage(lines, 1654)).rotate(-angle, { background: '#ffffff' }));
      speckle(page, 0.005);
      const measured = estimateSkew(page);
      expect(Math.abs(measured.angle - angle)).toBeLessThanOrEqual(0.1);
      expect(measured.confidence).toBeGreaterThan(TRUSTED_SKEW_CONFIDENCE);
    },
  );

  it('finds no trustworthy angle on a page without lines', async () => {
    const speckle = Buffer.alloc(800 * 1000);
    let seed = 7;
    for (let i = 0; i < speckle.length; i++) {
      // xorshift32: no lattice for the profile to lock onto.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      speckle[i] = (seed >>> 0) % 100 < 6 ? 40 : 225;
    }
    const noise = await sharp(speckle, { raw: { width: 800, height: 1000, channels: 1 } })
      .png()
      .toBuffer();
    expect(estimateSkew(await greyRaster(noise)).confidence).toBeLessThan(TRUSTED_SKEW_CONFIDENCE);
    expect(estimateSkew(await greyRaster(sample, 1200)).confidence).toBeGreaterThan(TRUSTED_SKEW_CONFIDENCE);
  });
});

describe.runIf(RUN)('orientation', () => {
  let upright: GreyRaster;
  beforeAll(async () => {
    upright = await greyRaster(await skewed(3), 1000);
  });
  it.each([
    [0, 0],
    [1, 270],
    [2, 180],
    [3, 90],
  ])('undoes %d clockwise quarter turns with a %d° turn', (turns, expected) => {
    expect(detectOrientation(rotateQuarter(upright, turns)).turn).toBe(expected);
  });

  it('turns ink points a quarter as rotateQuarter turns the raster, in the same order', () => {
    const points = skewPoints(upright);
    const turned = skewPoints(rotateQuarter(upright, 1));
    const fromPoints = quarterTurned(points, upright.height);
    expect(fromPoints.width).toBe(turned.width);
    expect(fromPoints.xs.length).toBeGreaterThan(1000);
    expect(fromPoints.xs).toEqual(turned.xs);
    expect(fromPoints.ys).toEqual(turned.ys);
  });

  it.each([0, 1, 2, 3])('is not misled by a dark photo a third of the page wide (%d quarter turns)', (turns) => {
    // A photo fills its rows with ink from edge to edge of its band: no line gaps, no x-height.
    const photo = { ...upright, data: Uint8Array.from(upright.data) };
    const w = Math.round(upright.width / 3);
    const top = Math.round(upright.height * 0.35);
    for (let y = top; y < top + Math.round(upright.height * 0.3); y++)
      photo.data.fill(25, y * upright.width + w, y * upright.width + 2 * w);
    expect(detectOrientation(rotateQuarter(photo, turns)).turn).toBe((360 - turns * 90) % 360);
  });
});

describe.runIf(RUN)('scanner border', () => {
  it('crops dark bands added along the edges and nothing else', async () => {
    // The sample has a faint border of its own (gen_scans.py): the added bands shift its box.
    const own = findContentRegion(await greyRaster(sample));
    const bordered = await sharp(sample).extend({ top: 90, left: 140, right: 60, bottom: 0, background: '#1a1a1a' }).png().toBuffer();
    const box = findContentRegion(await greyRaster(bordered));
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(12);
    near(box.left, own.left + 140);
    near(box.top, own.top + 90);
    near(box.left + box.width, own.left + own.width + 140);
    near(box.top + box.height, own.top + own.height + 90);
    expect(box.left).toBeGreaterThanOrEqual(140);
    expect(box.top).toBeGreaterThanOrEqual(90);
  });
});

describe.runIf(RUN)('ink', () => {
  it('removes a red seal from the OCR copy and keeps the black text under it', async () => {
    const { width = 0, height = 0 } = await sharp(sample).metadata();
    const seal = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="400" r="220" fill="none" stroke="#d11b1b" stroke-width="30"/></svg>`,
    );
    const stamped = await sharp(sample)
      .composite([{ input: seal }])
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const cleaned = greyWithoutSeals(stamped.data, width, height, 3);
    const plain = await greyRaster(await sharp(sample).png().toBuffer());
    const ringPixel = 180 * width + Math.round(width / 2); // on the ring's top
    expect(plain.data[ringPixel]).toBeGreaterThan(150);
    expect(cleaned.data[ringPixel]).toBe(255);
    expect(Math.abs(inkCoverage(cleaned) - inkCoverage(plain))).toBeLessThan(0.002);
  });

  it('flattens uneven illumination to even paper', async () => {
    const { width = 0, height = 0 } = await sharp(sample).metadata();
    const shade = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#555"/><stop offset="1" stop-color="#fff"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
    );
    const shaded = await greyRaster(
      await sharp(sample)
        .composite([{ input: shade, blend: 'multiply' }])
        .png()
        .toBuffer(),
    );
    const paperAt = (r: GreyRaster, x: number) => r.data[Math.round(height * 0.95) * r.width + x]!;
    expect(paperAt(shaded, 60)).toBeLessThan(150);
    const flat = flattenIllumination(shaded);
    expect(paperAt(flat, 60)).toBeGreaterThan(235);
    expect(paperAt(flat, width - 60)).toBeGreaterThan(235);
  });
});

describe.runIf(RUN)('binarisation and despeckle', () => {
  /** A page of known ink: `marks` squares of `size` px on paper, with paper `shade` per column. */
  function page(
    width: number,
    height: number,
    marks: { x: number; y: number; size: number }[],
    shade: (x: number) => number,
  ): { grey: GreyRaster; ink: number } {
    const data = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = shade(x);
    let ink = 0;
    for (const m of marks) {
      for (let y = m.y; y < m.y + m.size; y++) for (let x = m.x; x < m.x + m.size; x++) data[y * width + x] = Math.round(shade(x) * 0.25);
      ink += m.size * m.size;
    }
    return { grey: { data, width, height }, ink };
  }
  const grid = (width: number, size: number) =>
    Array.from({ length: 200 }, (_, i) => ({ x: 20 + (i % 20) * Math.floor((width - 40) / 20), y: 20 + Math.floor(i / 20) * 40, size }));
  const count = (b: InkBitmap) => b.data.reduce((n, v) => n + (v ? 1 : 0), 0);

  it('binarises text on a page shaded from white to dark grey as it does on white paper', () => {
    // Paper goes from 250 down to 90 across the page: darker than the ink on the bright side.
    const { grey, ink } = page(1000, 420, grid(1000, 6), (x) => Math.round(250 - (160 * x) / 999));
    const bitmap = binarise(flattenIllumination(grey));
    expect(Math.abs(count(bitmap) - ink)).toBeLessThan(ink * 0.02);
    // A single threshold over the unflattened page takes the dark half's paper for ink.
    const global = binarise(grey);
    expect(count(global)).toBeGreaterThan(ink * 10);
  });

  it('removes specks smaller than a dot-below mark and keeps the marks', () => {
    const marks = [...grid(1000, 3), { x: 510, y: 330, size: 1 }, { x: 610, y: 330, size: 2 }, { x: 710, y: 345, size: 1 }];
    const { grey } = page(1000, 420, marks, () => 245);
    const bitmap = binarise(grey);
    expect(speckArea(300)).toBeGreaterThan(4);
    expect(speckArea(300)).toBeLessThanOrEqual(9);
    expect(despeckle(bitmap, speckArea(300))).toBe(3);
    expect(count(bitmap)).toBe(200 * 9);
    expect(bitmap.data[330 * 1000 + 610]).toBe(0);
    expect(bitmap.data[20 * 1000 + 20]).not.toBe(0);
    expect(bitmap.ink).toBe(200 * 9);
  });

  it('at low resolution, drops a lone speck but keeps a mark beside its letter and a faint mark near the text', () => {
    const letter = { x: 100, y: 100, size: 8 };
    const mark = { x: 104, y: 96, size: 2 }; // two pixels above the letter, as a tone mark
    const lone = { x: 300, y: 200, size: 2 }; // far from any ink
    const { grey } = page(400, 300, [letter, mark, lone], () => 245);
    grey.data[110 * 400 + 110] = 200; // a faint pixel two pixels right of the letter
    grey.data[250 * 400 + 50] = 200; // and one far away
    const bitmap = binarise(grey);
    const neighboured = nearInk(bitmap, 4, { othersOnly: true });
    expect(despeckle(bitmap, 0, (component, size) => size >= 9 || neighboured(component, size))).toBe(1);
    expect(bitmap.data[200 * 400 + 300]).toBe(0);
    expect(bitmap.data[96 * 400 + 104]).not.toBe(0);
    // Despeckled once, the bitmap can be despeckled again by another test.
    expect(despeckle(bitmap, 1)).toBe(0);
    expect(bitmap.data[100 * 400 + 100]).toBe(1);
    const faint = binarise(grey, 0.9);
    despeckle(faint, 1, nearInk(bitmap, 4));
    expect(faint.data[110 * 400 + 110]).not.toBe(0);
    expect(faint.data[250 * 400 + 50]).toBe(0);
  });

  it('turns paper noise white and keeps the ink and its grey edge', () => {
    const { grey: scan } = page(400, 100, [{ x: 100, y: 40, size: 8 }], (x) => 200 + (x % 7) * 5);
    const grey = flattenIllumination(scan);
    expect(grey.data[40 * 400 + 98]).toBeLessThan(255);
    const clean = cleanBackground(grey, binarise(grey));
    expect(clean.data[40 * 400 + 100]).toBe(grey.data[40 * 400 + 100]);
    expect(clean.data[40 * 400 + 99]).toBe(grey.data[40 * 400 + 99]);
    expect(clean.data[40 * 400 + 98]).toBe(255);
    const kept = [...clean.data.keys()].filter((i) => clean.data[i]! < 255);
    expect(kept.length).toBeGreaterThanOrEqual(8 * 8);
    expect(kept.every((i) => Math.abs((i % 400) - 103.5) <= 4.5 && Math.abs(Math.floor(i / 400) - 43.5) <= 4.5)).toBe(true);
  });
});

describe.runIf(RUN)('cleanup stage', () => {
  it('tells running out of memory (retried elsewhere or later) from a bad page (failed at once)', () => {
    expect(outOfMemory(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(outOfMemory(Object.assign(new Error('spawn'), { code: 'ENOMEM' }))).toBe(true);
    expect(outOfMemory(new Error('vips_image_new: out of memory'))).toBe(true);
    expect(outOfMemory(new Error('VipsJpeg: premature end of JPEG image'))).toBe(false);
    expect(outOfMemory(new RangeError('Offset is outside the bounds of the DataView'))).toBe(false);
  });

  it('cleans a page in a worker thread as it does in this one, and a bad page fails there naming it', async () => {
    const page = await extractPage(
      'scan.jpg',
      await sharp(await skewed(2))
        .jpeg()
        .toBuffer(),
      0,
    );
    const here = await cleanupPage('scan.jpg page 1', page);
    const there = await cleanupInThread('scan.jpg page 1', page, { rotation: 180, skew: 0 });
    const again = await cleanupInThread('scan.jpg page 1', page);
    expect(Buffer.isBuffer(again.ocr.image) && Buffer.isBuffer(again.archival.image)).toBe(true);
    expect(again.ocr.image.equals(here.ocr.image)).toBe(true);
    expect(again.archival.image.equals(here.archival.image)).toBe(true);
    expect(again.analysis).toEqual(here.analysis);
    // The geometry given crosses too: turned half round, unlevelled.
    expect(there.analysis).toMatchObject({ rotation: 180, skew: 0 });
    const truncated = { ...page, image: page.image.subarray(0, 2000) };
    const failure = await cleanupInThread('torn.jpg page 1', truncated).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(InputFileError);
    expect(failure).toMatchObject({ subject: 'torn.jpg page 1', reason: expect.stringMatching(/^cleanup failed: .*JPEG/i) });
  });

  it('caps the OCR copy at 40 Mpx whatever resolution a page claims', async () => {
    // 20 Mpx tagged 73 dpi, with lines of tiny "text": brought to 300 dpi it would be 338 Mpx.
    const words = (y: number) =>
      Array.from({ length: 60 }, (_, i) => `<rect x="${300 + i * 55}" y="${y}" width="${20 + (i % 4) * 6}" height="5" fill="#222"/>`).join(
        '',
      );
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="5000"><rect width="100%" height="100%" fill="#fff"/>${Array.from(
      { length: 150 },
      (_, i) => words(300 + i * 28),
    ).join('')}</svg>`;
    const png = await sharp(Buffer.from(svg)).withMetadata({ density: 73 }).png().toBuffer();
    const page = await extractPage('tagged-73.png', png, 0);
    expect(page).toMatchObject({ width: 4000, height: 5000, dpi: 73, dpiSource: 'metadata' });
    const cleaned = await cleanupPage('tagged-73.png page 1', page);
    expect(cleaned.ocr.width * cleaned.ocr.height).toBeLessThanOrEqual(40e6);
    expect(cleaned.ocr.width).toBeGreaterThan(4000);
  });

  it('turns, levels and crops a page, and records what it did', async () => {
    const defective = await sharp(await skewed(-5))
      .rotate(90)
      .extend({ right: 80, background: '#202020' })
      .jpeg()
      .toBuffer();
    const page = await extractPage('scan.jpg', defective, 0);
    const cleaned = await cleanupPage('scan.jpg', page);
    expect(cleaned.analysis.rotation).toBe(270);
    expect(Math.abs(cleaned.analysis.skew - (-5 + SAMPLE_SKEW))).toBeLessThanOrEqual(0.2);
    expect(cleaned.analysis.blank).toBe(false);
    expect(cleaned.archival.height).toBeGreaterThan(cleaned.archival.width);
    const level = estimateSkew(await greyRaster(cleaned.ocr.image, 1200));
    expect(Math.abs(level.angle)).toBeLessThanOrEqual(0.2);
  });

  it('enlarges a low-dpi page for OCR only, by its text size, keeping its true dpi', async () => {
    const small = await sharp(sample).resize({ width: 1240 }).withMetadata({ density: 150 }).jpeg().toBuffer();
    const cleaned = await cleanupPage('low.jpg', await extractPage('low.jpg', small, 0));
    expect(cleaned.dpi).toBe(150);
    expect(cleaned.analysis.resolution.source).toBe('metadata');
    // The sample's body text is about 13 pixels high at 150 dpi: about 24 once enlarged.
    expect(cleaned.analysis.ocrScale).toBeGreaterThan(1.5);
    expect(cleaned.analysis.ocrScale).toBeLessThan(2.2);
    expect(cleaned.ocr.width / cleaned.archival.width).toBeCloseTo(cleaned.analysis.ocrScale, 1);
  });

  it('flags a blank separator sheet instead of dropping it', async () => {
    const blank = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f3efe6' } })
      .jpeg()
      .toBuffer();
    const cleaned = await cleanupPage('blank.jpg', await extractPage('blank.jpg', blank, 0));
    expect(cleaned.analysis.blank).toBe(true);
    expect(cleaned.archival.image.length).toBeGreaterThan(0);
  });
});

describe.runIf(RUN && corpusAvailable('deskew on the synthetic corpus'))('deskew on ../shared/corpus/synthetic', () => {
  const manifest = fs.existsSync(path.join(CORPUS, 'synthetic', 'MANIFEST.tsv'))
    ? fs
        .readFileSync(path.join(CORPUS, 'synthetic', 'MANIFEST.tsv'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('\t'))
    : [];
  it.each(manifest)('%s (%s): skew within 0.2° of its recorded %s, quarter turn %s found', async (name, _dpi, skew, rot) => {
    const file = path.join(CORPUS, 'synthetic', name!);
    const cleaned = await cleanupPage(name!, await extractPage(name!, fs.readFileSync(file), 0));
    expect(Math.abs(cleaned.analysis.skew - Number(skew!.split('=')[1]))).toBeLessThanOrEqual(0.2);
    // gen_scans.py turned the page counter-clockwise by `rot` (PIL's rotate): the clockwise turn
    // cleanup applies undoes it by the same angle.
    expect(cleaned.analysis.rotation).toBe(Number(rot!.split('=')[1]));
  });
});
