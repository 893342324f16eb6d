/**
 * A PDF/A made of the pages of other PDF/A files this stage wrote — the whole-dossier file from its
 * documents' files — without decoding an image or laying out a word again: pages are copied as
 * they are (image, text layer, font), and only the file's own metadata is written anew. Any
 * signature the sources carry is left behind (a signature covers its own file's bytes, not a
 * page); the caller signs the result when asked.
 */
import { PDFDocument, PDFName } from 'pdf-lib';
import { PdfaError } from '../errors.js';
import { type PdfaPart, type PdfMetadata, savePdfA, writeArchivalMetadata } from './build.js';

export interface PdfSource {
  /** A PDF/A written by buildPdfA (signed or not), whose pages all go in, in order. */
  pdf: Buffer;
  /** Named in the error when the file cannot be read. */
  name: string;
}

export async function mergePdfA(sources: PdfSource[], meta: PdfMetadata, part: PdfaPart = '2b'): Promise<Buffer> {
  if (sources.length === 0) throw new PdfaError(`${meta.identifier}: a PDF/A needs at least one page`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (const source of sources) {
    const from = await loadSource(source);
    const indices = from.getPageIndices();
    // The signature widget (our files carry no other annotation) would point at a field the new file lacks.
    for (const i of indices) from.getPage(i).node.delete(PDFName.of('Annots'));
    for (const page of await doc.copyPages(from, indices)) doc.addPage(page);
  }
  writeArchivalMetadata(doc, meta, part);
  return savePdfA(doc);
}

async function loadSource(source: PdfSource): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(source.pdf, { updateMetadata: false });
  } catch (err) {
    throw new PdfaError(`${source.name}: cannot be read as a PDF: ${(err as Error).message}`);
  }
}
