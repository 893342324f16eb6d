/**
 * Page images as PDF image XObjects, each in the coding that keeps it smallest without new loss:
 * JPEG goes in as it is (DCTDecode; a grey JPEG stays DeviceGray), a 1-bit page as CCITT G4
 * (pdf-lib's PNG path would widen it to 8-bit RGB), any other PNG through pdf-lib (Flate).
 */

import {
  concatTransformationMatrix,
  drawObject,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import sharp from 'sharp';
import { encodeG4 } from './ccitt-g4.js';

export type PageImageFormat = 'jpeg' | 'png';

export async function embedPageImage(doc: PDFDocument, image: Buffer, format: PageImageFormat): Promise<PDFRef> {
  // pdf-lib reads an image through a DataView on its whole ArrayBuffer, ignoring the view's offset:
  // a small Buffer (Node pools those under 4 KiB, as Buffer.concat of an S3 body does) must be
  // copied to an ArrayBuffer of its own, or pdf-lib reads the pool's other bytes.
  const bytes = image.byteOffset === 0 && image.byteLength === image.buffer.byteLength ? image : new Uint8Array(image);
  if (format === 'jpeg') return (await doc.embedJpg(bytes)).ref;
  if ((await sharp(image).metadata()).bitsPerSample === 1) return embedG4(doc, image);
  return (await doc.embedPng(bytes)).ref;
}

async function embedG4(doc: PDFDocument, image: Buffer): Promise<PDFRef> {
  const { data, width, height } = await encodeG4(image);
  const xobject = doc.context.stream(data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: width,
    Height: height,
    ColorSpace: 'DeviceGray',
    BitsPerComponent: 1,
    Filter: 'CCITTFaxDecode',
    DecodeParms: { K: -1, Columns: width, Rows: height },
  });
  return doc.context.register(xobject);
}

/** Paints an image XObject over the whole page. */
export function paintFullPage(page: PDFPage, image: PDFRef): void {
  const name = page.node.newXObject('Im', image);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(page.getWidth(), 0, 0, page.getHeight(), 0, 0),
    drawObject(name),
    popGraphicsState(),
  );
}
