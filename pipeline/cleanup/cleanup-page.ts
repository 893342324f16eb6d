/**
 * Cleanup stage: one source page in, two images out. The archival image is what the PDF/A shows —
 * upright, level, scanner border cropped, colour and seals kept. The OCR image is what Tesseract
 * reads — grey, seals and stamps removed, illumination flattened, at least 300 dpi.
 */
import sharp, { type Sharp } from 'sharp';
import { InputFileError } from '../errors.js';
import type { SourcePage } from '../input/index.js';
import { cropRaster, type GreyRaster, type Region } from '../raster.js';
import { binarise, cleanBackground, despeckle, nearInk, speckArea } from './binarise.js';
import { findContentRegion, paperLevel } from './border.js';
import { TRUSTED_SKEW_CONFIDENCE } from './deskew.js';
import { shrinkToGrey } from './grey.js';
import { flattenIllumination, greyWithoutSeals, inkCoverage, sealCoverage } from './ink.js';
import { detectOrientation, type QuarterTurn } from './orientation.js';
import { ocrScale, pageResolution, paperDpi, type Resolution } from './resolution.js';

export type ColourMode = 'colour' | 'grey' | 'bilevel';

/** What cleanup found and did, recorded with the page. */
export interface PageAnalysis {
  /** Clockwise quarter turn applied to make the page upright. */
  rotation: QuarterTurn;
  /** Skew of the text lines in degrees (counter-clockwise positive), corrected in both images. */
  skew: number;
  /** Content box kept after removing the scanner border, in the scan's pixels (EXIF-upright). */
  crop: Region;
  /** Share of the page that is ink in the OCR copy (seals removed), margins excluded. */
  inkCoverage: number;
  /**
   * No text, no signature, no seal: a separator sheet or an empty back. Kept with the originals and
   * in the manifest, left out of the PDF/A.
   */
  blank: boolean;
  /** How sure the orientation detector was (orientation.ts), so a reading can be asked when it was not. */
  detector: { upright: number; sideways: number; skewConfidence: number };
  /** Body text: its x-height in the scan's pixels (0 when the page has too few lines) and its line count. */
  text: { xHeight: number; lines: number };
  /** Where `dpi` comes from: the file's tag, or the text's size where the tag is missing or implausible. */
  resolution: Resolution;
  /** How much the OCR copy was enlarged to bring the text to the size Tesseract reads best. */
  ocrScale: number;
  /** Set when the first reading was in doubt and the page was read in other geometries (pipeline/read-page.ts). */
  orientationCheck?: OrientationCheck;
}

/** Why a page was read more than once, each geometry read with its reading's confidence, and which was kept. */
export interface OrientationCheck {
  reason: string;
  /** The first entry is cleanup's own geometry. */
  tried: (PageGeometry & { confidence: number })[];
  /** Index in `tried` of the reading kept. */
  kept: number;
}

/** A quarter turn and a skew to apply instead of the detector's: another reading of a doubtful page. */
export interface PageGeometry {
  rotation: QuarterTurn;
  skew: number;
}

export interface CleanedPage {
  archival: { image: Buffer; format: 'jpeg' | 'png'; width: number; height: number };
  ocr: { image: Buffer; width: number; height: number };
  /**
   * Resolution of the archival image, which gives the PDF/A page its size: its tag where plausible,
   * else measured from the text (and rounded to a paper size it is near: resolution.ts).
   */
  dpi: number;
  colour: ColourMode;
  analysis: PageAnalysis;
}

export interface CleanupOptions {
  /** JPEG quality of colour and grey archival images. */
  jpegQuality: number;
  /**
   * Pages without enough text to measure, scanned below this, are enlarged to it for OCR only
   * (pages with text are enlarged by their text's size); the archival image is never resampled.
   */
  ocrMinDpi: number;
  /**
   * Below this share of ink, and with no seal, a page is blank (separator sheets, empty backs). A
   * blank page leaves the PDF/A, so the bar is low: a signature alone measured 0.0003, a page
   * number alone 0.00005, one line of text 0.0008; empty paper, bleed-through and edge shadows 0.
   */
  blankInk: number;
  /** Above this share of seal ink a page is never blank: a seal alone is a page of the record. */
  blankSeal: number;
}

const DEFAULT_CLEANUP: CleanupOptions = { jpegQuality: 80, ocrMinDpi: 300, blankInk: 0.00003, blankSeal: 0.0001 };

/** Page analysis runs on a copy this wide: enough for 0.1° skew precision, fast to scan. */
const ANALYSIS_WIDTH = 1200;

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

// Every cleanup pipeline starts from pixels in memory: libvips' operation cache would only hold
// copies of pages already done.
sharp.cache(false);

export async function cleanupPage(
  where: string,
  page: SourcePage,
  options: CleanupOptions = DEFAULT_CLEANUP,
  geometry?: PageGeometry,
): Promise<CleanedPage> {
  try {
    // EXIF orientation applied, alpha dropped onto white paper: PDF/A-1 allows no transparency.
    const decoded = await toRaw(sharp(page.image, { failOn: 'error' }).rotate().flatten({ background: '#ffffff' }));
    const colour: ColourMode = page.bilevel ? 'bilevel' : decoded.channels >= 3 && hasColour(decoded) ? 'colour' : 'grey';
    // A grey page (a grey scan saved as RGB, tinted paper) needs one channel from here on: a third
    // of the bytes to turn, level and encode.
    const upright = colour === 'colour' || decoded.channels === 1 ? decoded : oneChannel(decoded);
    // The scanner's border lies along the scan's edges, whatever the text's angle: crop it first,
    // so that it weighs in neither the orientation nor the skew.
    const scanCopy = shrinkToGrey(upright.data, upright.width, upright.height, upright.channels, ANALYSIS_WIDTH);
    const scale = upright.width / scanCopy.width;
    const small = findContentRegion(scanCopy);
    const crop = clampRegion(
      {
        left: Math.round(small.left * scale),
        top: Math.round(small.top * scale),
        width: Math.round(small.width * scale),
        height: Math.round(small.height * scale),
      },
      upright,
    );
    const analysisCopy = cropRaster(scanCopy, small);
    const found = detectOrientation(analysisCopy);
    // A page without line structure (a photo, a blank sheet) gives no trustworthy angle.
    const detectedSkew = found.skew.confidence >= TRUSTED_SKEW_CONFIDENCE && Math.abs(found.skew.angle) >= 0.05 ? found.skew.angle : 0;
    const { rotation, skew } = geometry ?? { rotation: found.turn, skew: detectedSkew };
    const text = { xHeight: Math.round(found.text.xHeight * scale * 10) / 10, lines: found.text.lines };
    const resolution = pageResolution(page, text);
    const content = await levelPage(upright, crop, rotation, skew, paperLevel(analysisCopy));
    const archival = await encodeArchival(content, colour, options.jpegQuality);
    const enlarge = ocrScale(text, resolution.dpi, options.ocrMinDpi, content);
    const ocr = await ocrImage(content, resolution.dpi, text.xHeight, enlarge);
    return {
      archival: { ...archival, width: content.width, height: content.height },
      ocr: { image: ocr.image, width: ocr.width, height: ocr.height },
      dpi: paperDpi(resolution, content),
      colour,
      analysis: {
        rotation,
        skew,
        crop,
        inkCoverage: Math.round(ocr.ink * 1e6) / 1e6,
        blank:
          ocr.ink < options.blankInk &&
          (colour !== 'colour' || sealCoverage(content.data, content.width, content.height, content.channels) < options.blankSeal),
        detector: {
          upright: round2(found.upright),
          sideways: round2(found.sideways),
          skewConfidence: round2(found.skew.confidence),
        },
        text,
        resolution,
        ocrScale: round2(enlarge),
      },
    };
  } catch (err) {
    // Memory running out is this machine's state, not the page's fault: it is retried, elsewhere or later.
    if (outOfMemory(err)) throw err;
    throw new InputFileError(where, `cleanup failed: ${(err as Error).message}`);
  }
}

/** V8 could not allocate a buffer, or libvips or the system ran out of memory. */
export function outOfMemory(err: unknown): boolean {
  const { message = '', code } = (err ?? {}) as { message?: string; code?: string };
  return (
    code === 'ENOMEM' ||
    code === 'ERR_WORKER_OUT_OF_MEMORY' ||
    (err instanceof RangeError && /allocation failed|invalid (typed )?array length/i.test(message)) ||
    /out of memory|cannot allocate memory|memory allocation failed/i.test(message)
  );
}

/**
 * Below this resolution a speck is as big as a tone mark or a full stop, and a tone mark is a few
 * grey pixels lighter than the page's threshold. So the OCR copy drops specks smaller than a
 * square LONE_SPECK_X_HEIGHTS of an x-height across with no other ink within half an x-height
 * (a mark sits beside its letter, a speck between lines or in a margin reads as "." or ","), and
 * keeps fainter ink (FAINT_MARK_LENIENCY of the way from the threshold to white) within half an
 * x-height of the text. On the tune split's 100 dpi pages: CER 1.66% → 1.45% with the faint marks,
 * → 1.03% with the lone specks too (0.22 and 0.3 measured the same, 0.38 and 0.5 took marks);
 * 150 dpi pages 0.44% → 0.18%.
 */
const LOW_RESOLUTION_DPI = 200;
const FAINT_MARK_LENIENCY = 0.3;
const LONE_SPECK_X_HEIGHTS = 0.25;

/**
 * The OCR copy of a levelled page: seals removed, illumination flattened, binarised, despeckled
 * (specks measured at the page's resolution), background turned white, then enlarged by `scale`.
 * `ink` is the share of the page left as ink, for blank-page detection.
 */
async function ocrImage(
  content: RawImage,
  dpi: number,
  xHeight: number,
  scale: number,
): Promise<{ image: Buffer; width: number; height: number; ink: number }> {
  const flat = flattenIllumination(greyOf(content));
  const bitmap = binarise(flat);
  despeckle(bitmap, speckArea(dpi));
  let ink = bitmap;
  if (dpi < LOW_RESOLUTION_DPI && xHeight > 0) {
    const neighboured = nearInk(bitmap, Math.round(xHeight / 2), { othersOnly: true });
    const markArea = (xHeight * LONE_SPECK_X_HEIGHTS) ** 2;
    despeckle(bitmap, 0, (component, size) => size >= markArea || neighboured(component, size));
    ink = binarise(flat, FAINT_MARK_LENIENCY);
    despeckle(ink, speckArea(dpi), nearInk(bitmap, Math.round(xHeight / 2)));
  }
  const clean = cleanBackground(flat, ink);
  const width = Math.round(clean.width * scale);
  const height = Math.round(clean.height * scale);
  let pipeline = sharp(clean.data, { raw: { width: clean.width, height: clean.height, channels: 1 } });
  if (scale > 1) pipeline = pipeline.resize(width, height, { kernel: 'lanczos3' });
  // One grey channel ('b-w'): sharp would otherwise write RGB, which Tesseract reads more slowly.
  // Unfiltered fast deflate: the PNG is read once by Tesseract and then discarded.
  const image = await pipeline.toColourspace('b-w').png({ compressionLevel: 1, adaptiveFiltering: false }).toBuffer();
  return { image, width, height, ink: inkCoverage(clean) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function toRaw(image: Sharp): Promise<RawImage> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function rawSharp(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 2 | 3 | 4 } });
}

function oneChannel(image: RawImage): RawImage {
  const grey = greyOf(image);
  return {
    data: Buffer.from(grey.data.buffer, grey.data.byteOffset, grey.data.length),
    width: image.width,
    height: image.height,
    channels: 1,
  };
}

function greyOf(image: RawImage): GreyRaster {
  if (image.channels === 1)
    return { data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length), width: image.width, height: image.height };
  return greyWithoutSeals(image.data, image.width, image.height, image.channels);
}

/**
 * The scan cropped, turned upright and levelled, in one resampling (the quarter turn and the skew
 * are one rotation), keeping the upright page's size. The corners the rotation uncovers take the
 * paper's shade: a white wedge on tinted paper would read as an edge.
 */
async function levelPage(image: RawImage, crop: Region, rotation: QuarterTurn, skew: number, paperShade: number): Promise<RawImage> {
  const cropped = rawSharp(image).extract(crop);
  // sharp writes sRGB unless told otherwise: a grey page stays one channel.
  const keepChannels = (pipeline: Sharp) => (image.channels === 1 ? pipeline.toColourspace('b-w') : pipeline);
  if (skew === 0) return toRaw(keepChannels(rotation ? cropped.rotate(rotation) : cropped));
  const rotated = await toRaw(
    keepChannels(cropped.rotate(rotation + skew, { background: { r: paperShade, g: paperShade, b: paperShade } })),
  );
  const sideways = rotation === 90 || rotation === 270;
  const width = Math.min(rotated.width, sideways ? crop.height : crop.width);
  const height = Math.min(rotated.height, sideways ? crop.width : crop.height);
  return cropRaw(rotated, { left: (rotated.width - width) >> 1, top: (rotated.height - height) >> 1, width, height });
}

function cropRaw(image: RawImage, box: Region): RawImage {
  const { channels } = image;
  const rowBytes = box.width * channels;
  const data = Buffer.allocUnsafe(rowBytes * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * image.width + box.left) * channels;
    image.data.copy(data, y * rowBytes, from, from + rowBytes);
  }
  return { data, width: box.width, height: box.height, channels };
}

function clampRegion(box: Region, image: { width: number; height: number }): Region {
  const left = Math.min(Math.max(0, box.left), image.width - 1);
  const top = Math.min(Math.max(0, box.top), image.height - 1);
  return {
    left,
    top,
    width: Math.max(1, Math.min(box.width, image.width - left)),
    height: Math.max(1, Math.min(box.height, image.height - top)),
  };
}

/**
 * Colour when chroma carries information — a seal or a coloured heading is enough, a fraction of a
 * percent of the page — else grey (a grey scan saved as RGB, or a paper tint). The faintest seal in
 * the corpus (a page holding nothing else) has 0.15% chromatic pixels, the most tinted grey scan
 * 0.007%: the bar sits between, well clear of both.
 */
function hasColour(image: RawImage): boolean {
  const { data, channels } = image;
  const pixels = image.width * image.height;
  const step = Math.max(1, Math.floor(pixels / 65536));
  let chromatic = 0;
  let sampled = 0;
  for (let i = 0; i < pixels; i += step, sampled++) {
    const p = i * channels;
    const max = Math.max(data[p]!, data[p + 1]!, data[p + 2]!);
    const min = Math.min(data[p]!, data[p + 1]!, data[p + 2]!);
    if (max - min > 40) chromatic++;
  }
  return chromatic > sampled * 0.0005;
}

async function encodeArchival(image: RawImage, colour: ColourMode, quality: number): Promise<{ image: Buffer; format: 'jpeg' | 'png' }> {
  if (colour === 'bilevel') {
    // Lossless for 1-bit scans: JPEG would blur the strokes and cost more bytes. Rotation blends
    // edge pixels, so the page is thresholded back to black and white.
    const png = await rawSharp(image).greyscale().threshold(128).png({ palette: true, colours: 2, compressionLevel: 9 }).toBuffer();
    return { image: png, format: 'png' };
  }
  // 'b-w' makes a one-channel JPEG: greyscale() alone still writes three channels.
  const pipeline = colour === 'grey' ? rawSharp(image).toColourspace('b-w') : rawSharp(image).toColourspace('srgb');
  // Optimised Huffman tables cost little; mozjpeg's trellis search costs many times the CPU for a few bytes.
  return { image: await pipeline.jpeg({ quality, optimiseCoding: true }).toBuffer(), format: 'jpeg' };
}
