/**
 * PDF/A stage: archival page images plus an invisible OCR text layer (render mode 3), each word
 * placed and scaled on its OCR box, in one PDF/A-2b (default) or PDF/A-1b file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  PDFFont,
  PDFHexString,
  PDFName,
  PDFPage,
  PDFString,
  TextRenderingMode,
  beginText,
  endText,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
} from 'pdf-lib';
import type { OcrPageResult } from './ocr.js';
import { buildXmp, pdfDate, vietnamTime } from './xmp.js';

export type PdfaPart = '2b' | '1b';

export interface PdfPageInput {
  image: Buffer;
  format: 'jpeg' | 'png';
  /** Archival image size in pixels and its true resolution: the page size follows from them. */
  width: number;
  height: number;
  dpi: number;
  /** OCR result; its boxes are in its own image's pixels (scaled to the archival image here). */
  ocr?: OcrPageResult;
}

export interface PdfMetadata {
  title: string;
  /** File code (Circular 05/2025/TT-BNV): `<dossier code>.<nn>` or the dossier code. */
  identifier: string;
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  documentKind?: string;
  created: Date;
  producer: string;
}

const require = createRequire(import.meta.url);

let fontBytes: Buffer | undefined;
let iccProfile: Buffer | undefined;

/** DejaVu Sans covers every Vietnamese letter; only the glyphs used are embedded. */
function textLayerFont(): Buffer {
  fontBytes ??= fs.readFileSync(path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'));
  return fontBytes;
}

/** sRGB IEC61966-2.1 as an ICC v2 profile: PDF/A-1 rejects the v4 profiles most tools ship. */
function srgbProfile(): Buffer {
  iccProfile ??= fs.readFileSync(path.join(path.dirname(require.resolve('pdfkit')), 'data', 'sRGB_IEC61966_2_1.icc'));
  return iccProfile;
}

export async function buildPdfA(pages: PdfPageInput[], meta: PdfMetadata, part: PdfaPart = '2b'): Promise<Buffer> {
  if (pages.length === 0) throw new Error(`${meta.identifier}: a PDF/A needs at least one page`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(textLayerFont(), { subset: true });
  for (const input of pages) await addPage(doc, font, input);
  writeArchivalMetadata(doc, meta, part);
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return Buffer.from(bytes);
}

async function addPage(doc: PDFDocument, font: PDFFont, input: PdfPageInput): Promise<void> {
  const widthPt = (input.width / input.dpi) * 72;
  const heightPt = (input.height / input.dpi) * 72;
  const page = doc.addPage([widthPt, heightPt]);
  const image = input.format === 'jpeg' ? await doc.embedJpg(input.image) : await doc.embedPng(input.image);
  page.drawImage(image, { x: 0, y: 0, width: widthPt, height: heightPt });
  if (input.ocr && input.ocr.width > 0) addTextLayer(page, font, input.ocr, widthPt / input.ocr.width);
}

/**
 * Each word is drawn invisibly at its box: the font size makes the font's ascent-to-descent span
 * the line's height, and horizontal scaling (Tz) makes the word exactly as wide as its box, so a
 * viewer's search highlight and text selection fall on the printed word.
 */
function addTextLayer(page: PDFPage, font: PDFFont, ocr: OcrPageResult, scale: number): void {
  const fontKey = page.node.newFontDictionary(font.name, font.ref);
  const unitHeight = font.heightAtSize(1, { descender: true });
  const descent = unitHeight - font.heightAtSize(1, { descender: false });
  const pageHeight = page.getHeight();
  const ops = [beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
  for (const line of ocr.lines) {
    const lineHeight = (line.box.y1 - line.box.y0) * scale;
    if (lineHeight <= 0) continue;
    const size = lineHeight / unitHeight;
    const baseline = pageHeight - line.box.y1 * scale + descent * size;
    ops.push(setFontAndSize(fontKey, size));
    for (const word of line.words) {
      const natural = font.widthOfTextAtSize(word.text, size);
      const boxWidth = (word.box.x1 - word.box.x0) * scale;
      if (natural <= 0 || boxWidth <= 0) continue;
      ops.push(
        setCharacterSqueeze((boxWidth / natural) * 100),
        setTextMatrix(1, 0, 0, 1, word.box.x0 * scale, baseline),
        showText(font.encodeText(`${word.text}`)),
      );
    }
  }
  ops.push(endText());
  page.pushOperators(...ops);
}

function writeArchivalMetadata(doc: PDFDocument, meta: PdfMetadata, part: PdfaPart): void {
  const { context, catalog } = doc;
  const producer = meta.producer;
  const xmp = buildXmp({
    title: meta.title,
    identifier: meta.identifier,
    producer,
    creatorTool: producer,
    created: vietnamTime(meta.created),
    part: part === '1b' ? 1 : 2,
    dossierCode: meta.dossierCode,
    agencyCode: meta.agencyCode,
    procedureCode: meta.procedureCode,
    documentKind: meta.documentKind,
  });
  // PDF/A-1 forbids a filter on the metadata stream; leaving it plain suits both parts.
  const metadata = context.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  catalog.set(PDFName.of('Metadata'), context.register(metadata));

  const profile = context.flateStream(srgbProfile(), { N: 3 });
  const outputIntent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: context.register(profile),
  });
  catalog.set(PDFName.of('OutputIntents'), context.obj([outputIntent]));

  const date = PDFString.of(pdfDate(meta.created));
  const info = context.obj({
    Title: PDFHexString.fromText(meta.title),
    Producer: PDFHexString.fromText(producer),
    Creator: PDFHexString.fromText(producer),
    CreationDate: date,
    ModDate: date,
  });
  context.trailerInfo.Info = context.register(info);

  const id = createHash('md5').update(`${meta.identifier}\n${meta.created.toISOString()}`).digest('hex');
  context.trailerInfo.ID = context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}
