/**
 * Spreadsheets in and out (exceljs): coverage reports exported as CSV (UTF-8 with a byte-order mark,
 * which Excel needs to show Vietnamese) or XLSX, and register exports read from XLSX into the CSV
 * the register parser takes, one sheet row per CSV line so a rejected row's line is its sheet row.
 */
import ExcelJS from 'exceljs';
import { InputFileError } from '../pipeline/errors.js';
import type { CoverageReport } from '../storage/catalog/index.js';
import { COVERAGE_COLUMNS, coverageCell, coverageLines, type ReportLang } from './coverage-table.js';

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

/** CSV in the report's language: Vietnamese headers and numbers (55,69; 26.481), or English. */
export function coverageCsv(report: CoverageReport, lang: ReportLang = 'vi'): Buffer {
  const lines = [
    COVERAGE_COLUMNS.map((c) => csvField(c.header[lang])),
    ...coverageLines(report).map((line) =>
      COVERAGE_COLUMNS.map((c) => csvField(c.kind === 'text' ? inert(c.value(line.row, line.total, lang)) : coverageCell(c, line, lang))),
    ),
  ];
  return Buffer.from(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`, 'utf8');
}

/** XLSX with numeric cells (the spreadsheet shows them in its own locale) and the report's conditions on a second sheet. */
export async function coverageXlsx(report: CoverageReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Sohoa';
  const sheet = book.addWorksheet('Tỷ lệ số hóa');
  sheet.columns = COVERAGE_COLUMNS.map((c) => ({ header: c.header.vi, width: Math.max(12, Math.min(40, c.header.vi.length + 2)) }));
  for (const line of coverageLines(report)) sheet.addRow(COVERAGE_COLUMNS.map((c) => inert(c.value(line.row, line.total, 'vi'))));
  COVERAGE_COLUMNS.forEach((c, i) => {
    if (c.kind === 'percent') sheet.getColumn(i + 1).numFmt = '0.00';
  });
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const filters = [
    `Theo: ${report.by}`,
    `Kỳ: ${report.period ?? '—'}`,
    `Từ: ${report.from ?? '—'}`,
    `Đến: ${report.to ?? '—'}`,
    `Đơn vị: ${report.rollUp ? 'quy về đơn vị kế thừa (sau sắp xếp)' : 'như trong sổ theo dõi'}`,
  ];
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
