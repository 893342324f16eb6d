/** What the input stage hands to cleanup: one page of a scanner's file. */

/** One page of an input file, as pixels ready for cleanup. */
export interface SourcePage {
  /** Encoded image sharp can read (the scanner's JPEG as is, else lossless PNG). */
  image: Buffer;
  width: number;
  height: number;
  /** Scan resolution; from the file's metadata, or assumed when the file has none. */
  dpi: number;
  dpiSource: 'metadata' | 'pdf' | 'assumed';
  /** The scan is 1-bit black and white (CCITT faxes, bilevel TIFF/PNG). */
  bilevel: boolean;
}

/** An A3 sheet at 600 dpi is 70 Mpx: a scan's page image is never larger than this. */
export const MAX_PAGE_PIXELS = 100_000_000;

/** Resolution assumed for scans that do not say theirs (most flatbed defaults). */
export const ASSUMED_DPI = 300;

/**
 * A scan's resolution is believed between these: 72 is what many tools write when they know
 * nothing, and a PDF page 200 inches wide round a 200-pixel image says "1 dpi".
 */
export function believedDpi(dpi: number | undefined): Pick<SourcePage, 'dpi' | 'dpiSource'> | undefined {
  return dpi && dpi > 72 && dpi <= 2400 ? { dpi: Math.round(dpi), dpiSource: 'metadata' } : undefined;
}
