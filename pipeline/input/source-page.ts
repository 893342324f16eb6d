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
