/**
 * Cleanup stage: one source page in, two images out — the archival image (what the PDF/A shows:
 * colour kept) and the OCR image (grey, at a resolution Tesseract reads well).
 */
import sharp, { type ChannelStats } from 'sharp';
import { InputFileError } from './errors.js';
import type { SourcePage } from './input.js';

export type ColourMode = 'colour' | 'grey' | 'bilevel';

export interface CleanedPage {
  archival: { image: Buffer; format: 'jpeg' | 'png'; width: number; height: number };
  ocr: { image: Buffer; width: number; height: number };
  /** True scan resolution of the archival image. */
  dpi: number;
  colour: ColourMode;
}

export interface CleanupOptions {
  /** JPEG quality of colour and grey archival images. */
  jpegQuality: number;
  /** Pages scanned below this are upsampled for OCR only; the archival image keeps its true dpi. */
  ocrMinDpi: number;
}

export const DEFAULT_CLEANUP: CleanupOptions = { jpegQuality: 80, ocrMinDpi: 300 };

export async function cleanupPage(
  where: string,
  page: SourcePage,
  options: CleanupOptions = DEFAULT_CLEANUP,
): Promise<CleanedPage> {
  try {
    // EXIF orientation applied, alpha dropped onto white paper: PDF/A-1 allows no transparency.
    const upright = await sharp(page.image).rotate().flatten({ background: '#ffffff' }).toBuffer({ resolveWithObject: true });
    const { width, height } = upright.info;
    const colour = page.bilevel ? 'bilevel' : await colourModeOf(upright.data);
    const archival = await encodeArchival(upright.data, colour, options.jpegQuality);
    const scale = page.dpi < options.ocrMinDpi ? options.ocrMinDpi / page.dpi : 1;
    const ocrWidth = Math.round(width * scale);
    const ocrHeight = Math.round(height * scale);
    const ocrImage = await sharp(upright.data)
      .greyscale()
      .resize(ocrWidth, ocrHeight, { kernel: 'lanczos3' })
      .png({ compressionLevel: 1 })
      .toBuffer();
    return {
      archival: { ...archival, width, height },
      ocr: { image: ocrImage, width: ocrWidth, height: ocrHeight },
      dpi: page.dpi,
      colour,
    };
  } catch (err) {
    throw new InputFileError(where, `cleanup failed: ${(err as Error).message}`);
  }
}

/** Colour when the chroma carries information (a seal, a coloured heading), else grey. */
async function colourModeOf(image: Buffer): Promise<ColourMode> {
  const { channels } = await sharp(image).stats();
  if (channels.length >= 3) {
    const [r, g, b] = channels as [ChannelStats, ChannelStats, ChannelStats];
    const spread = Math.max(Math.abs(r.mean - g.mean), Math.abs(g.mean - b.mean), Math.abs(r.mean - b.mean));
    const { data } = await sharp(image).removeAlpha().resize(256, 256, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    let chromatic = 0;
    for (let i = 0; i + 2 < data.length; i += 3) {
      const max = Math.max(data[i]!, data[i + 1]!, data[i + 2]!);
      const min = Math.min(data[i]!, data[i + 1]!, data[i + 2]!);
      if (max - min > 40) chromatic++;
    }
    // A seal or a coloured heading is enough to keep colour: a fraction of a percent of the page.
    if (spread > 8 || chromatic > 256 * 256 * 0.002) return 'colour';
  }
  return 'grey';
}

async function encodeArchival(
  image: Buffer,
  colour: ColourMode,
  quality: number,
): Promise<{ image: Buffer; format: 'jpeg' | 'png' }> {
  if (colour === 'bilevel') {
    // Lossless for 1-bit scans: JPEG would blur the strokes and cost more bytes.
    return { image: await sharp(image).greyscale().png({ palette: true, colours: 2, compressionLevel: 9 }).toBuffer(), format: 'png' };
  }
  const pipeline = colour === 'grey' ? sharp(image).greyscale() : sharp(image).toColourspace('srgb');
  return { image: await pipeline.jpeg({ quality, mozjpeg: true }).toBuffer(), format: 'jpeg' };
}
