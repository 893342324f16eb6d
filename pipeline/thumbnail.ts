/** A small JPEG of a page image, for a station to check its scans at a glance. */
import sharp from 'sharp';

export async function thumbnail(image: Buffer, width: number): Promise<Buffer> {
  return sharp(image, { failOn: 'none' })
    .resize({ width, withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer();
}
