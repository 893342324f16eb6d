/**
 * Each cleanup step measured on pages with a known defect: the bundled sample page turned, skewed,
 * bordered, stamped or shaded by a known amount.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { greyRaster, rotateQuarter, type GreyRaster } from '../pipeline/raster.js';
import { estimateSkew } from '../pipeline/deskew.js';
import { detectOrientation } from '../pipeline/orientation.js';
import { findContentBox } from '../pipeline/border.js';
import { flattenIllumination, greyWithoutSeals, inkCoverage } from '../pipeline/ink.js';
import { cleanupPage } from '../pipeline/cleanup.js';
import { extractPage } from '../pipeline/input.js';
import { CORPUS, SAMPLE_DIR, corpusAvailable } from './support/env.js';

/** The sample's own skew (../shared/corpus/synthetic/MANIFEST.tsv: to-trinh-dat-dai-p1.jpg skew=0.31). */
const SAMPLE_SKEW = 0.31;
const sample = fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'));

/** The sample's paper without the faint scanner border gen_scans.py gave it. */
async function paper(): Promise<Buffer> {
  const box = findContentBox(await greyRaster(sample));
  return sharp(sample).extract(box).png().toBuffer();
}

async function skewed(angle: number): Promise<Buffer> {
  // sharp turns clockwise for positive angles; text lines then slope down, a negative skew.
  return sharp(await paper()).rotate(-angle, { background: '#ffffff' }).png().toBuffer();
}

describe('deskew', () => {
  it.each([-9.5, -4.2, -1.0, 0, 2.5, 7.3])('measures a page turned by %d° within 0.2°', async (angle) => {
    const { angle: measured } = estimateSkew(await greyRaster(await skewed(angle), 1200));
    expect(Math.abs(measured - (angle + SAMPLE_SKEW))).toBeLessThanOrEqual(0.2);
  });

  it('finds no trustworthy angle on a page without lines', async () => {
    const speckle = Buffer.alloc(800 * 1000);
    for (let i = 0; i < speckle.length; i++) speckle[i] = (i * 2654435761) % 97 < 6 ? 40 : 225;
    const noise = await sharp(speckle, { raw: { width: 800, height: 1000, channels: 1 } }).png().toBuffer();
    expect(estimateSkew(await greyRaster(noise)).confidence).toBeLessThan(1.05);
  });
});

describe('orientation', () => {
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
});

describe('scanner border', () => {
  it('crops dark bands added along the edges and nothing else', async () => {
    // The sample has a faint border of its own (gen_scans.py): the added bands shift its box.
    const own = findContentBox(await greyRaster(sample));
    const bordered = await sharp(sample).extend({ top: 90, left: 140, right: 60, bottom: 0, background: '#1a1a1a' }).png().toBuffer();
    const box = findContentBox(await greyRaster(bordered));
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(12);
    near(box.left, own.left + 140);
    near(box.top, own.top + 90);
    near(box.left + box.width, own.left + own.width + 140);
    near(box.top + box.height, own.top + own.height + 90);
    expect(box.left).toBeGreaterThanOrEqual(140);
    expect(box.top).toBeGreaterThanOrEqual(90);
  });
});

describe('ink', () => {
  it('removes a red seal from the OCR copy and keeps the black text under it', async () => {
    const { width = 0, height = 0 } = await sharp(sample).metadata();
    const seal = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="400" r="220" fill="none" stroke="#d11b1b" stroke-width="30"/></svg>`);
    const stamped = await sharp(sample).composite([{ input: seal }]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const cleaned = greyWithoutSeals(stamped.data, width, height, 3);
    const plain = await greyRaster(await sharp(sample).png().toBuffer());
    const ringPixel = 180 * width + Math.round(width / 2); // on the ring's top
    expect(plain.data[ringPixel]).toBeGreaterThan(150);
    expect(cleaned.data[ringPixel]).toBe(255);
    expect(Math.abs(inkCoverage(cleaned) - inkCoverage(plain))).toBeLessThan(0.002);
  });

  it('flattens uneven illumination to even paper', async () => {
    const { width = 0, height = 0 } = await sharp(sample).metadata();
    const shade = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g"><stop offset="0" stop-color="#555"/><stop offset="1" stop-color="#fff"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`);
    const shaded = await greyRaster(await sharp(sample).composite([{ input: shade, blend: 'multiply' }]).png().toBuffer());
    const paperAt = (r: GreyRaster, x: number) => r.data[Math.round(height * 0.95) * r.width + x]!;
    expect(paperAt(shaded, 60)).toBeLessThan(150);
    const flat = flattenIllumination(shaded);
    expect(paperAt(flat, 60)).toBeGreaterThan(235);
    expect(paperAt(flat, width - 60)).toBeGreaterThan(235);
  });
});

describe('cleanup stage', () => {
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

  it('upsamples a low-dpi page for OCR only, keeping its true dpi', async () => {
    const small = await sharp(sample).resize({ width: 1240 }).withMetadata({ density: 150 }).jpeg().toBuffer();
    const cleaned = await cleanupPage('low.jpg', await extractPage('low.jpg', small, 0));
    expect(cleaned.dpi).toBe(150);
    expect(cleaned.ocr.width).toBe(cleaned.archival.width * 2);
  });

  it('flags a blank separator sheet instead of dropping it', async () => {
    const blank = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#f3efe6' } }).jpeg().toBuffer();
    const cleaned = await cleanupPage('blank.jpg', await extractPage('blank.jpg', blank, 0));
    expect(cleaned.analysis.blank).toBe(true);
    expect(cleaned.archival.image.length).toBeGreaterThan(0);
  });
});

describe.runIf(corpusAvailable('deskew on the synthetic corpus'))('deskew on ../shared/corpus/synthetic', () => {
  const manifest = fs.existsSync(path.join(CORPUS, 'synthetic', 'MANIFEST.tsv'))
    ? fs.readFileSync(path.join(CORPUS, 'synthetic', 'MANIFEST.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'))
    : [];
  it.each(manifest)('%s: within 0.2° of its recorded %s, quarter turn %s found', async (name, _dpi, skew, rot) => {
    const file = path.join(CORPUS, 'synthetic', name!);
    const cleaned = await cleanupPage(name!, await extractPage(name!, fs.readFileSync(file), 0));
    expect(Math.abs(cleaned.analysis.skew - Number(skew!.split('=')[1]))).toBeLessThanOrEqual(0.2);
    expect((360 - cleaned.analysis.rotation) % 360).toBe(Number(rot!.split('=')[1]));
  });
});
