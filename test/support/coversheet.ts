/** Cover sheets as a station scans them: printed by Sohoa, rasterised by poppler, then turned, skewed or thresholded. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { type CoverSheet, makeCoverSheetPdf } from '../../pipeline/coversheet/index.js';
import { tempDir } from './env.js';

export interface ScanOptions {
  dpi: number;
  /** Degrees clockwise: 180 for a sheet fed upside down, 2 for one fed askew. */
  rotate?: number;
  mode?: 'colour' | 'grey' | 'bilevel';
}

/** A PNG of the sheet as a scanner writes it, its resolution tagged. */
export async function scannedCoverSheet(sheet: CoverSheet, options: ScanOptions): Promise<Buffer> {
  const dir = tempDir('coversheet');
  try {
    const pdf = path.join(dir, 'sheet.pdf');
    fs.writeFileSync(pdf, await makeCoverSheetPdf(sheet));
    const mode = options.mode ?? 'grey';
    execFileSync('pdftoppm', [
      '-r',
      String(options.dpi),
      ...(mode === 'grey' ? ['-gray'] : mode === 'bilevel' ? ['-mono'] : []),
      '-png',
      '-singlefile',
      pdf,
      path.join(dir, 'page'),
    ]);
    let image = sharp(fs.readFileSync(path.join(dir, 'page.png')));
    if (options.rotate) image = sharp(await image.rotate(options.rotate, { background: '#ffffff' }).png().toBuffer());
    return image.withMetadata({ density: options.dpi }).png().toBuffer();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
