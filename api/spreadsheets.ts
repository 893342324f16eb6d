/**
 * Spreadsheets in and out (exceljs): coverage reports exported as CSV (UTF-8 with a byte-order mark,
 * which Excel needs to show Vietnamese) or XLSX, and register exports read from XLSX into the CSV
 * the register parser takes, one sheet row per CSV line so a rejected row's line is its sheet row.
 */
import ExcelJS from 'exceljs';
import { InputFileError } from '../pipeline/errors.js';
import type { CoverageReport, CoverageRow } from '../storage/catalog/index.js';

/** A report row, and whether it is the total (a row's key may be null too: dossiers of no known agency). */
interface ExportRow {
  row: CoverageRow;
  total: boolean;
}

const COLUMNS: { header: string; value: (r: CoverageRow, total: boolean) => string | number | null; percent?: boolean }[] = [
  { header: 'Mã', value: (r, total) => (total ? 'Tổng' : r.key) },
  { header: 'Tên', value: (r) => r.name },
  { header: 'Kỳ', value: (r) => r.period },
  { header: 'Hồ sơ tiếp nhận', value: (r) => r.received },
  { header: 'Có thành phần số hóa', value: (r) => r.componentDigitized },
  { header: 'Tỷ lệ số hóa thành phần (%)', value: (r) => r.rates.component, percent: true },
  { header: 'Hồ sơ đã giải quyết', value: (r) => r.resolved },
  { header: 'Có kết quả số hóa', value: (r) => r.resultDigitized },
  { header: 'Tỷ lệ số hóa kết quả (%)', value: (r) => r.rates.result, percent: true },
  { header: 'Số hóa đầy đủ', value: (r) => r.overallDigitized },
  { header: 'Tỷ lệ số hóa chung (%)', value: (r) => r.rates.overall, percent: true },
  { header: 'Đánh giá', value: (r) => r.status },
];

function rowsOf(report: CoverageReport): ExportRow[] {
  return [...report.rows.map((row) => ({ row, total: false })), { row: report.total, total: true }];
}

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, or a tab or return first) is
 * kept as text: names come from the register, and a register is typed by people.
 */
function inert(value: string | number | null): string | number | null {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function coverageCsv(report: CoverageReport): Buffer {
  const lines = [
    COLUMNS.map((c) => csvField(c.header)),
    ...rowsOf(report).map((r) => COLUMNS.map((c) => csvField(inert(c.value(r.row, r.total))))),
  ];
  return Buffer.from(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`, 'utf8');
}

export async function coverageXlsx(report: CoverageReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Sohoa';
  const sheet = book.addWorksheet('Tỷ lệ số hóa');
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: Math.max(12, c.header.length + 2) }));
  for (const r of rowsOf(report)) sheet.addRow(COLUMNS.map((c) => inert(c.value(r.row, r.total))));
  COLUMNS.forEach((c, i) => {
    if (c.percent) sheet.getColumn(i + 1).numFmt = '0.00';
  });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const filters = [`Theo: ${report.by}`, `Kỳ: ${report.period ?? '—'}`, `Từ: ${report.from ?? '—'}`, `Đến: ${report.to ?? '—'}`];
  const note = book.addWorksheet('Điều kiện');
  for (const line of [...filters, `Ngưỡng cần cải thiện: ${report.thresholds.warn}%`, `Chỉ tiêu: ${report.thresholds.target}%`])
    note.addRow([line]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The first sheet of an XLSX file as CSV text, row for row; cells are read as the text they show. */
export async function xlsxToCsv(source: string, bytes: Buffer): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new InputFileError(source, `not a readable XLSX workbook: ${(err as Error).message}`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new InputFileError(source, 'the workbook has no sheet');
  // As many columns as the header names; a row with nothing in them is an empty line, kept so lines stay rows.
  const header = sheet.getRow(1);
  let columns = 0;
  for (let c = 1; c <= sheet.columnCount; c++) if (cellText(header.getCell(c)).trim()) columns = c;
  const lines: string[] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) cells.push(cellText(row.getCell(c)));
    lines.push(cells.some((cell) => cell.trim()) ? cells.map(csvField).join(',') : '');
  }
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** Dates as YYYY-MM-DD HH:mm (a register's times are Vietnam time, as its cells show them). */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date)
    return value
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ')
      .replace(/ 00:00$/, '');
  return cell.text ?? '';
}
