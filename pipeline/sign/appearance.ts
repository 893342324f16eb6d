/**
 * What the agency signature looks like (DOMAIN.md): a framed box on page 1, top right, holding
 * the agency name and the signing time — text only, no seal image.
 */
import {
  beginText,
  endText,
  type PDFContentStream,
  type PDFFont,
  PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  setFontAndSize,
  setLineWidth,
  setStrokingGrayscaleColor,
  setTextMatrix,
  showText,
  stroke,
} from 'pdf-lib';

export interface SignatureBox {
  x: number;
  y: number;
  width: number;
  height: number;
  fontSize: number;
}

const MARGIN = 18; // pt from the page's top and right edges
const PADDING = 4;
const FONT_SIZE = 8;
const LINE_HEIGHT = 1.3; // in font sizes
/** The box never takes more than this share of the page width; the text shrinks to fit. */
const MAX_WIDTH_SHARE = 0.45;

export function signatureBox(page: PDFPage, font: PDFFont, lines: string[]): SignatureBox {
  const { width: pageWidth, height: pageHeight } = page.getSize();
  const widest = Math.max(...lines.map((l) => font.widthOfTextAtSize(l, 1)));
  const fontSize = Math.min(FONT_SIZE, (pageWidth * MAX_WIDTH_SHARE - 2 * PADDING) / widest);
  const width = widest * fontSize + 2 * PADDING;
  const height = lines.length * LINE_HEIGHT * fontSize + 2 * PADDING;
  return { x: pageWidth - MARGIN - width, y: pageHeight - MARGIN - height, width, height, fontSize };
}

/** Draws into the widget's appearance stream, whose BBox is the widget rectangle in page space. */
export function drawSignatureAppearance(stream: PDFContentStream, font: PDFFont, lines: string[], box: SignatureBox): void {
  stream.dict.set(PDFName.of('Resources'), stream.dict.context.obj({ Font: { F1: font.ref } }));
  const ascent = font.heightAtSize(box.fontSize, { descender: false });
  const ops = [
    pushGraphicsState(),
    setStrokingGrayscaleColor(0),
    setLineWidth(0.5),
    rectangle(box.x + 0.25, box.y + 0.25, box.width - 0.5, box.height - 0.5),
    stroke(),
    popGraphicsState(),
    beginText(),
    setFillingGrayscaleColor(0),
    setFontAndSize(PDFName.of('F1'), box.fontSize),
  ];
  for (const [i, line] of lines.entries()) {
    const baseline = box.y + box.height - PADDING - ascent - i * LINE_HEIGHT * box.fontSize;
    ops.push(setTextMatrix(1, 0, 0, 1, box.x + PADDING, baseline), showText(font.encodeText(line)));
  }
  ops.push(endText());
  stream.push(...ops);
}
