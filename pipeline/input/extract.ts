/**
 * Input stage: recognise a scanner's file and split it into source pages.
 * Pure: bytes in, page images out.
 */
import sharp, { type Metadata } from 'sharp';
import { InputFileError } from '../errors.js';
import { extractPdfPageImage, inspectPdf } from './pdf.js';
import { ASSUMED_DPI, believedDpi, MAX_PAGE_PIXELS, type SourcePage } from './source-page.js';

export type InputFormat = 'jpeg' | 'png' | 'tiff' | 'pdf';

export interface InputInspection {
  format: InputFormat;
  pageCount: number;
  mediaType: string;
  /** The PDF carries a digital signature; the original must be kept untouched. */
  signed: boolean;
}

const MEDIA_TYPES: Record<InputFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};

export function detectFormat(file: string, bytes: Buffer): InputFormat {
  if (bytes.length < 8) throw new InputFileError(file, `file is empty or truncated (${bytes.length} bytes)`);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  const tiffMagic = bytes.subarray(0, 4).toString('latin1');
  if (tiffMagic === 'II*\0' || tiffMagic === 'MM\0*') return 'tiff';
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  throw new InputFileError(file, 'not a scanned page: expected JPEG, PNG, TIFF or PDF');
}

/** Reads just enough of a file to know its format and page count; throws InputFileError when unreadable. */
export async function inspectInput(file: string, bytes: Buffer): Promise<InputInspection> {
  const format = detectFormat(file, bytes);
  if (format === 'pdf') {
    const { pageCount, signed } = await inspectPdf(file, bytes);
    // A PDF with no page would vanish from the document without a word.
    if (pageCount < 1) throw new InputFileError(file, 'the PDF has no pages');
    return { format, pageCount, signed, mediaType: MEDIA_TYPES.pdf };
  }
  let meta: Metadata;
  try {
    // Headers only, nothing decoded: sharp's pixel limit would count a long TIFF's pages together.
    meta = await sharp(bytes, { pages: -1, limitInputPixels: false }).metadata();
  } catch (err) {
    throw new InputFileError(file, unreadable(format, err as Error));
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > MAX_PAGE_PIXELS) {
    throw new InputFileError(
      file,
      `the ${format.toUpperCase()} declares ${width} × ${height} pixels a page, more than any scan holds (at most ${MAX_PAGE_PIXELS / 1e6} Mpx)`,
    );
  }
  return { format, pageCount: meta.pages ?? 1, signed: false, mediaType: MEDIA_TYPES[format] };
}

/** Decodes page `index` (0-based) of a file; a corrupt page throws InputFileError naming it. */
export async function extractPage(file: string, bytes: Buffer, index: number): Promise<SourcePage> {
  const format = detectFormat(file, bytes);
  const where = `${file} page ${index + 1}`;
  if (format === 'pdf') return extractPdfPageImage(where, bytes, index);
  try {
    const image = sharp(bytes, { page: index, failOn: 'error', limitInputPixels: MAX_PAGE_PIXELS });
    const meta = await image.metadata();
    const { dpi, dpiSource } = densityOf(meta.density);
    // A one-page file goes on unchanged (re-encoding costs time and, for JPEG, quality); a page of
    // a multi-page TIFF is taken out losslessly. Cleanup decodes it whole and names it if corrupt.
    const encoded = (meta.pages ?? 1) === 1 ? bytes : await image.png({ compressionLevel: 1 }).toBuffer();
    const bilevel = meta.bitsPerSample === 1 && (meta.channels ?? 1) <= 2;
    return { image: encoded, width: meta.width ?? 0, height: meta.height ?? 0, dpi, dpiSource, bilevel };
  } catch (err) {
    throw new InputFileError(where, `corrupt ${format.toUpperCase()} image: ${(err as Error).message}`);
  }
}

/** Why a file that begins as an image cannot be read: said in the user's terms, the decoder's words after. */
function unreadable(format: InputFormat, err: Error): string {
  const name = format.toUpperCase();
  return `the file begins as a ${name} but cannot be read: damaged or cut short (${err.message})`;
}

function densityOf(density: number | undefined): Pick<SourcePage, 'dpi' | 'dpiSource'> {
  return believedDpi(density) ?? { dpi: ASSUMED_DPI, dpiSource: 'assumed' };
}
