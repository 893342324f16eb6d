/** Small JPEGs of a page image: the whole page, for a station to check its scans at a glance, and a part of it. */
import sharp from 'sharp';

export async function thumbnail(image: Buffer, width: number): Promise<Buffer> {
  return sharp(image, { failOn: 'none' })
    .resize({ width, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer();
}

/**
 * The part of a page a field was read from (`box` in fractions of the page), with a margin of a
 * line around it so the station sees the words beside it, `width` pixels wide at most.
 */
export async function pageCrop(image: Buffer, box: { x0: number; y0: number; x1: number; y1: number }, width: number): Promise<Buffer> {
  const page = sharp(image, { failOn: 'none' });
  const { width: w = 0, height: h = 0 } = await page.metadata();
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  const margin = 0.015 * h;
  const left = clamp(box.x0 * w - margin, w - 1);
  const top = clamp(box.y0 * h - margin, h - 1);
  const right = clamp(box.x1 * w + margin, w);
  const bottom = clamp(box.y1 * h + margin, h);
  return page
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
    .resize({ width, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
}
