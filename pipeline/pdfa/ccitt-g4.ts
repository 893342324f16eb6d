/**
 * CCITT Group 4 for 1-bit pages: the densest lossless coding PDF/A-1 allows for bilevel scans.
 * libtiff (through sharp) does the coding; the single strip it writes is already the stream a
 * PDF /CCITTFaxDecode filter reads, so it is lifted out of the TIFF unchanged.
 */
import sharp from 'sharp';
import { PdfaError } from '../errors.js';

export interface G4Image {
  data: Buffer;
  width: number;
  height: number;
}

/** sharp's limit on rows per strip: a taller page cannot be written as one G4 stream. */
const MAX_G4_ROWS = 32768;

const TAG = { compression: 259, stripOffsets: 273, fillOrder: 266, stripByteCounts: 279 } as const;
const TIFF_G4 = 4;

/** Thresholds any image to 1 bit and codes it as one Group 4 stream (0 = white, as PDF's default BlackIs1 false expects). */
export async function encodeG4(image: Buffer): Promise<G4Image> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  if (height > MAX_G4_ROWS) throw new PdfaError(`a 1-bit page of ${height} rows is taller than the ${MAX_G4_ROWS} a single G4 strip holds`);
  const tiff = await sharp(image)
    .toColourspace('b-w')
    // One strip for the whole page (rows per strip = height); MinIsWhite makes G4's white runs the paper.
    .tiff({ compression: 'ccittfax4', bitdepth: 1, miniswhite: true, tileHeight: Math.max(1, height) })
    .toBuffer();
  return { data: singleStrip(tiff), width, height };
}

/** The bytes of the one strip of a baseline TIFF, checked to be G4 in MSB-first bit order. */
function singleStrip(tiff: Buffer): Buffer {
  const little = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const tags = new Map<number, { count: number; value: number }>();
  for (let i = 0, n = u16(ifd); i < n; i++) {
    const entry = ifd + 2 + i * 12;
    const type = u16(entry + 2);
    // SHORT values sit left-aligned in the 4-byte value field; LONG values fill it.
    tags.set(u16(entry), { count: u32(entry + 4), value: type === 3 ? u16(entry + 8) : u32(entry + 8) });
  }
  const offsets = tags.get(TAG.stripOffsets);
  const counts = tags.get(TAG.stripByteCounts);
  if (tags.get(TAG.compression)?.value !== TIFF_G4 || (tags.get(TAG.fillOrder)?.value ?? 1) !== 1) {
    throw new PdfaError('libtiff did not write an MSB-first Group 4 image');
  }
  if (!offsets || !counts || offsets.count !== 1 || counts.count !== 1)
    throw new PdfaError('libtiff split the G4 image into several strips');
  return tiff.subarray(offsets.value, offsets.value + counts.value);
}
