/** Reading a PDF back as a viewer does (pdf.js): page sizes, text items and their positions. */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
}

export async function readPdf(bytes: Buffer): Promise<{ pages: { width: number; height: number; items: PdfTextItem[]; text: string }[] }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [, , width, height] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const items = content.items
        .filter((i): i is typeof i & { str: string; transform: number[]; width: number } => 'str' in i)
        .filter((i) => i.str.trim().length > 0)
        .map((i) => ({ str: i.str, x: i.transform[4]!, y: i.transform[5]!, width: i.width }));
      pages.push({ width, height, items, text: items.map((i) => i.str).join(' ') });
    }
    return { pages };
  } finally {
    await doc.destroy();
  }
}
