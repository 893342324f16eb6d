/**
 * A printable A4 cover sheet: the QR code a batch is split by, the same in large text for the
 * staff, and what to do with the sheet. Pure: the sheet's fields in, PDF bytes out.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { embedDejaVuSans } from '../pdfa/index.js';
import { type CoverSheet, coverSheetPayload } from './payload.js';

const A4 = { width: 595.28, height: 841.89 };
const MM = 72 / 25.4;
/** Large enough to be found on a 100 dpi phone photo, small enough to leave room for the text. */
const QR_SIZE = 80 * MM;

const KIND_LABEL: Record<CoverSheet['kind'], string> = {
  component: 'Thành phần hồ sơ',
  result: 'Kết quả giải quyết',
};

const INSTRUCTION = [
  'Đặt tờ bìa này lên trên các trang của hồ sơ khi quét.',
  'Các trang sau tờ bìa, đến tờ bìa kế tiếp, được số hóa vào hồ sơ ghi trên đây.',
  'Tờ bìa được lưu cùng bản gốc, không đưa vào tệp PDF/A.',
];

export async function makeCoverSheetPdf(sheet: CoverSheet): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Tờ bìa ${sheet.dossierCode}`);
  doc.setProducer('Sohoa');
  const font = await embedDejaVuSans(doc);
  const page = doc.addPage([A4.width, A4.height]);
  const centred = (text: string, y: number, size: number) =>
    page.drawText(text, { x: (A4.width - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: rgb(0, 0, 0) });

  centred('TỜ BÌA HỒ SƠ (MÃ QR)', A4.height - 40 * MM, 22);
  const qrTop = A4.height - 52 * MM;
  drawQr(page, coverSheetPayload(sheet), (A4.width - QR_SIZE) / 2, qrTop - QR_SIZE);
  let y = qrTop - QR_SIZE - 16 * MM;
  centred(sheet.dossierCode, y, fitSize(font, sheet.dossierCode, 30, A4.width - 30 * MM));
  y -= 14 * MM;
  centred(KIND_LABEL[sheet.kind], y, 20);
  if (sheet.procedureCode) {
    y -= 10 * MM;
    centred(`Mã thủ tục: ${sheet.procedureCode}`, y, 16);
  }
  y -= 18 * MM;
  for (const line of INSTRUCTION) {
    centred(line, y, 11);
    y -= 6 * MM;
  }
  return Buffer.from(await doc.save());
}

/** The QR modules as filled squares: vector, so it prints sharp at any printer resolution. */
function drawQr(page: PDFPage, text: string, x: number, y: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'Q' });
  const quiet = 4;
  const cell = QR_SIZE / (modules.size + 2 * quiet);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      page.drawRectangle({
        x: x + (col + quiet) * cell,
        y: y + QR_SIZE - (row + quiet + 1) * cell,
        width: cell,
        height: cell,
        color: rgb(0, 0, 0),
      });
    }
  }
}

function fitSize(font: PDFFont, text: string, size: number, width: number): number {
  return Math.min(size, (size * width) / font.widthOfTextAtSize(text, size));
}
