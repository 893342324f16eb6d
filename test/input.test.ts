import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cleanupPage } from '../pipeline/cleanup/index.js';
import { InputFileError } from '../pipeline/errors.js';
import { detectFormat, extractPage, inspectInput } from '../pipeline/input/index.js';
import { imageOnlyPdf, longBilevelTiff, multiPageTiff, pageImage, pdfWithGreyImage } from './support/fixtures.js';

describe('input stage', () => {
  it('recognises scanner formats by their bytes, not their names', async () => {
    expect(detectFormat('a.bin', await pageImage({ format: 'jpeg' }))).toBe('jpeg');
    expect(detectFormat('a.jpg', await pageImage({ format: 'png' }))).toBe('png');
    expect(() => detectFormat('notes.jpg', Buffer.from('minutes of the meeting'))).toThrow(/notes\.jpg: not a scanned page/);
    expect(() => detectFormat('empty.png', Buffer.alloc(0))).toThrow(InputFileError);
  });

  it('reads the scan resolution from the file, and assumes 300 dpi when it has none', async () => {
    const page = await extractPage('a.png', await pageImage({ dpi: 200 }), 0);
    expect(page).toMatchObject({ dpi: 200, dpiSource: 'metadata', width: 850, height: 1100, bilevel: false });
    const bare = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect((await extractPage('b.png', bare, 0)).dpiSource).toBe('assumed');
  });

  it('splits a multi-page TIFF into its pages', async () => {
    const pages = await Promise.all(
      [10, 128, 250].map((v) =>
        sharp({ create: { width: 120, height: 80, channels: 3, background: { r: v, g: v, b: v } } })
          .png()
          .toBuffer(),
      ),
    );
    const tiff = await multiPageTiff(pages);
    expect(await inspectInput('scan.tif', tiff)).toMatchObject({ format: 'tiff', pageCount: 3, signed: false });
    const second = await extractPage('scan.tif', tiff, 1);
    const { channels } = await sharp(second.image).stats();
    expect(Math.round(channels[0]!.mean)).toBe(128);
  });

  it('takes each page of an image-only PDF at the resolution it was scanned', async () => {
    const jpegs = [await pageImage({ format: 'jpeg' }), await pageImage({ format: 'jpeg', width: 425, height: 550 })];
    const pdf = await imageOnlyPdf(jpegs, 150);
    expect(await inspectInput('dossier.pdf', pdf)).toMatchObject({ format: 'pdf', pageCount: 2, signed: false });
    const page2 = await extractPage('dossier.pdf', pdf, 1);
    expect(page2).toMatchObject({ width: 425, height: 550, dpi: 150, dpiSource: 'pdf' });
  });

  it('names a PDF with no pages (with a script where its pages should be) instead of letting it vanish', async () => {
    const script = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
        '3 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    await expect(inspectInput('script.pdf', script)).rejects.toThrow(new InputFileError('script.pdf', 'the PDF has no pages'));
  });

  it('does not decode a PDF page image that declares a gigapixel, and does not believe a 1-dpi page', async () => {
    const bomb = await pdfWithGreyImage(30_000, 30_000, [595, 842]);
    expect(bomb.length).toBeLessThan(2000);
    await expect(extractPage('bomb.pdf', bomb, 0)).rejects.toThrow(/^bomb\.pdf page 1: .*an image over 100 Mpx is not decoded/);
    // 200 pixels across a 200-inch page would be 1 dpi, and an OCR copy enlarged to match.
    const huge = await extractPage('huge.pdf', await pdfWithGreyImage(200, 200, [14_400, 14_400]), 0);
    expect(huge).toMatchObject({ dpi: 300, dpiSource: 'assumed' });
  });

  it('counts the pages of a long TIFF whose pages together are over any single-image pixel limit', async () => {
    // Ten A4 pages at 600 dpi: 350 Mpx in all, 35 Mpx a page.
    const tiff = longBilevelTiff(10, 5000, 7000);
    expect(await inspectInput('ho-so-dai.tif', tiff)).toMatchObject({ format: 'tiff', pageCount: 10 });
    expect(await extractPage('ho-so-dai.tif', tiff, 9)).toMatchObject({ width: 5000, height: 7000, dpi: 300, bilevel: true });
  });

  it('fails a truncated page with the file, the page and the reason', async () => {
    const jpeg = await pageImage({ format: 'jpeg' });
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 3));
    const page = await extractPage('scan-07.jpg', truncated, 0);
    await expect(cleanupPage('scan-07.jpg page 1', page)).rejects.toThrow(
      /^scan-07\.jpg page 1: cleanup failed: .*(premature|truncat|corrupt)/i,
    );
  });

  it('notices a digital signature in a PDF', async () => {
    const pdf = await imageOnlyPdf([await pageImage({ format: 'jpeg' })], 100);
    const signed = Buffer.concat([pdf, Buffer.from('\n% incremental update\n<< /Type /Sig /ByteRange [0 10 20 30] >>\n')]);
    expect((await inspectInput('signed.pdf', signed)).signed).toBe(true);
  });
});
