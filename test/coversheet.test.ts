/**
 * Cover sheets: what the QR says, and that a sheet printed by Sohoa is found again however the
 * station scans it — turned, askew, at 200 or 300 dpi, 1-bit, grey or colour — while a page of
 * text, or a QR code that is not Sohoa's, is no sheet.
 */

import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type CoverSheet, coverSheetPayload, findCoverSheet, parseCoverSheetPayload } from '../pipeline/coversheet/index.js';
import { scannedCoverSheet } from './support/coversheet.js';
import { firstRunOnly, SAMPLE_DIR } from './support/env.js';

/** Pipeline stages only: the PostgreSQL/S3 run has nothing more to find here. */
const RUN = firstRunOnly('cover sheets', 'it tests pipeline stages, which neither the catalog nor the object store driver touches');

const SHEET: CoverSheet = { dossierCode: '000.00.15.H17-231114-0001', kind: 'result', procedureCode: '1.004227' };

describe.runIf(RUN)('cover sheet QR text', () => {
  it('says the dossier, the kind and the procedure, and reads back the same', () => {
    const text = coverSheetPayload(SHEET);
    expect(text).toBe('sohoa:cover?v=1&dossier=000.00.15.H17-231114-0001&kind=result&procedure=1.004227');
    expect(parseCoverSheetPayload(text)).toEqual(SHEET);
    expect(parseCoverSheetPayload(coverSheetPayload({ dossierCode: 'X', kind: 'component' }))).toEqual({
      dossierCode: 'X',
      kind: 'component',
    });
  });

  it('is no sheet when another QR code, another version or a wrong kind', () => {
    expect(parseCoverSheetPayload('https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=123')).toBeUndefined();
    expect(parseCoverSheetPayload('sohoa:cover?v=2&dossier=A&kind=result')).toBeUndefined();
    expect(parseCoverSheetPayload('sohoa:cover?v=1&dossier=A&kind=other')).toBeUndefined();
    expect(parseCoverSheetPayload('sohoa:cover?v=1&kind=result')).toBeUndefined();
  });
});

describe.runIf(RUN)('finding a cover sheet on a scanned page', () => {
  const scans: [string, Parameters<typeof scannedCoverSheet>[1]][] = [
    ['200 dpi grey', { dpi: 200 }],
    ['300 dpi colour', { dpi: 300, mode: 'colour' }],
    ['200 dpi 1-bit', { dpi: 200, mode: 'bilevel' }],
    ['300 dpi upside down', { dpi: 300, rotate: 180 }],
    ['200 dpi skewed 2°', { dpi: 200, rotate: 2 }],
    ['300 dpi skewed −3°, 1-bit', { dpi: 300, rotate: -3, mode: 'bilevel' }],
    ['300 dpi sideways', { dpi: 300, rotate: 90 }],
    ['100 dpi phone photo', { dpi: 100 }],
  ];
  for (const [name, options] of scans) {
    it(`finds it: ${name}`, async () => {
      expect(await findCoverSheet(await scannedCoverSheet(SHEET, options))).toEqual(SHEET);
    }, 30_000);
  }

  it('finds it in a JPEG the scanner compressed hard', async () => {
    const jpeg = await sharp(await scannedCoverSheet(SHEET, { dpi: 200 }))
      .jpeg({ quality: 35 })
      .toBuffer();
    expect(await findCoverSheet(jpeg)).toEqual(SHEET);
  });

  it('finds none on a page of text, nor on a page carrying some other QR code', async () => {
    expect(await findCoverSheet(fs.readFileSync(path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg')))).toBeUndefined();
    const foreign = await QRCode.toBuffer('https://dichvucong.gov.vn/tra-cuu?ma=000.00.15.H17-231114-0001', { width: 600 });
    const page = await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#ffffff' } })
      .composite([{ input: foreign, left: 500, top: 400 }])
      .png()
      .toBuffer();
    expect(await findCoverSheet(page)).toBeUndefined();
    // The same page with Sohoa's QR where the other one was is a sheet: the absence above is the QR's text, not the page.
    const ours = await QRCode.toBuffer(coverSheetPayload(SHEET), { width: 600 });
    const sheet = await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#ffffff' } })
      .composite([{ input: ours, left: 500, top: 400 }])
      .png()
      .toBuffer();
    expect(await findCoverSheet(sheet)).toEqual(SHEET);
  });
});
