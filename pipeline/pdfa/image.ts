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
  if (format === 'jpeg') return (await doc.embedJpg(image)).ref;
  if ((await sharp(image).metadata()).bitsPerSample === 1) return embedG4(doc, image);
  return (await doc.embedPng(image)).ref;
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
