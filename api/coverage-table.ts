/**
 * A coverage report as a table, in Vietnamese (the staff's words, UI-GLOSSARY.md; 55,69 and 26.481)
 * or English: the columns the CLI prints and the CSV and XLSX exports hold.
 */
import type { CoverageReport, CoverageRow } from '../storage/catalog/index.js';

export type ReportLang = 'vi' | 'en';

const LOCALE: Record<ReportLang, string> = { vi: 'vi-VN', en: 'en-US' };

export function formatNumber(value: number, lang: ReportLang, fractionDigits = 0): string {
  return new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(
    value,
  );
}

export type ColumnKind = 'text' | 'count' | 'percent';

export interface CoverageColumn {
  header: Record<ReportLang, string>;
  kind: ColumnKind;
  value(row: CoverageRow, total: boolean, lang: ReportLang): string | number | null;
}

const STATUS: Record<CoverageRow['status'], Record<ReportLang, string>> = {
  'no-data': { vi: 'chưa có số liệu', en: 'no data' },
  'needs-action': { vi: 'cần cải thiện', en: 'needs action' },
  'below-target': { vi: 'chưa đạt', en: 'below target' },
  'meets-target': { vi: 'đạt', en: 'meets target' },
};

const count = (vi: string, en: string, value: (r: CoverageRow) => number): CoverageColumn => ({
  header: { vi, en },
  kind: 'count',
  value,
});
const percent = (vi: string, en: string, value: (r: CoverageRow) => number | null): CoverageColumn => ({
  header: { vi, en },
  kind: 'percent',
  value,
});

export const COVERAGE_COLUMNS: CoverageColumn[] = [
  { header: { vi: 'Mã', en: 'Code' }, kind: 'text', value: (r, total, lang) => (total ? (lang === 'vi' ? 'Tổng' : 'Total') : r.key) },
  { header: { vi: 'Tên', en: 'Name' }, kind: 'text', value: (r) => r.name },
  { header: { vi: 'Kỳ', en: 'Period' }, kind: 'text', value: (r) => r.period },
  count('Hồ sơ tiếp nhận', 'Received', (r) => r.received),
  count('Có thành phần số hóa', 'Component digitized', (r) => r.componentDigitized),
  percent('Tỷ lệ số hóa thành phần hồ sơ (%)', 'Component rate (%)', (r) => r.rates.component),
  count('Hồ sơ đã giải quyết', 'Resolved', (r) => r.resolved),
  count('Có kết quả số hóa', 'Result digitized', (r) => r.resultDigitized),
  percent('Tỷ lệ số hóa kết quả giải quyết (%)', 'Result rate (%)', (r) => r.rates.result),
  count('Số hóa đầy đủ', 'Digitized overall', (r) => r.overallDigitized),
  percent('Tỷ lệ số hóa chung (%)', 'Overall rate (%)', (r) => r.rates.overall),
  count('Trong đó tính gần đúng', 'Of which approximate', (r) => r.overallApproximate),
  percent('Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC (%)', 'Combined rate (%)', (r) => r.rates.combined),
  count('Có ngày hẹn trả', 'With a due date', (r) => r.resolvedWithDue),
  count('Đúng hạn, trước hạn', 'On time or early', (r) => r.onTime),
  percent('Tỷ lệ đúng/sớm hẹn (%)', 'On-time rate (%)', (r) => r.rates.onTime),
  { header: { vi: 'Đánh giá', en: 'Status' }, kind: 'text', value: (r, _total, lang) => STATUS[r.status][lang] },
];

export interface CoverageLine {
  row: CoverageRow;
  total: boolean;
}

/** The report's rows, then its total. */
export function coverageLines(report: CoverageReport): CoverageLine[] {
  return [...report.rows.map((row) => ({ row, total: false })), { row: report.total, total: true }];
}

/** A cell as text: counts and percentages in the language's number format; a missing rate is "—". */
export function coverageCell(column: CoverageColumn, line: CoverageLine, lang: ReportLang): string {
  const value = column.value(line.row, line.total, lang);
  if (value === null) return column.kind === 'percent' ? '—' : '';
  if (typeof value === 'string') return value;
  return formatNumber(value, lang, column.kind === 'percent' ? 2 : 0);
}
