/**
 * The one font Sohoa embeds — DejaVu Sans, which covers every Vietnamese letter — for the
 * invisible OCR text and the signature appearance, as PDF/A wants it: a subset, with ToUnicode
 * (pdf-lib writes it) and a CIDSet (which pdf-lib does not write).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, type PDFDocument, type PDFFont, PDFName, PDFNumber } from 'pdf-lib';

const require = createRequire(import.meta.url);
let fontBytes: Buffer | undefined;

function dejaVuSans(): Buffer {
  fontBytes ??= fs.readFileSync(path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf'));
  return fontBytes;
}

/** Only the glyphs a document draws are embedded. */
export async function embedDejaVuSans(doc: PDFDocument): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(dejaVuSans(), { subset: true });
}

/**
 * PDF/A-1 requires a CIDSet naming the CIDs of every subset CIDFont (PDF/A-2 accepts a correct
 * one). pdf-lib numbers a subset's glyphs as CIDs and lists each in the widths array, so the set
 * is read from /W. Call after the fonts are flushed into the document.
 */
export function addCidSets(doc: PDFDocument): void {
  const { context } = doc;
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Subtype')) !== PDFName.of('CIDFontType2')) continue;
    const descriptor = object.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const widths = object.lookupMaybe(PDFName.of('W'), PDFArray);
    if (!widths || descriptor.has(PDFName.of('CIDSet'))) continue;
    const cids = [0]; // .notdef is always in the font program
    for (let i = 0; i + 1 < widths.size(); i += 2) {
      const first = widths.lookup(i, PDFNumber).asNumber();
      const run = widths.lookup(i + 1, PDFArray).size();
      for (let k = 0; k < run; k++) cids.push(first + k);
    }
    const bits = new Uint8Array((Math.max(...cids) >> 3) + 1);
    for (const cid of cids) bits[cid >> 3]! |= 0x80 >> (cid & 7);
    descriptor.set(PDFName.of('CIDSet'), context.register(context.flateStream(bits)));
  }
}
