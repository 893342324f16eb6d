/**
 * The archival metadata of Circular 05/2025/TT-BNV (DOMAIN.md): 18 dossier-level and 21
 * document-level fields under the names the circular spells. A station gives what it knows (a JSON
 * object with `dossier` and `document` members); Sohoa derives what the files tell (derive.ts).
 * Values are checked against the circular's value lists; a bad one is refused naming the field.
 */
import { UsageError } from '../errors.js';

type FieldKind = 'text' | 'date' | 'count' | 'list' | 'languages' | 'choice';

interface FieldSpec {
  name: string;
  /** The circular's own words, for the station page and the XMP schema's description. */
  label: string;
  kind: FieldKind;
  /** Longest text (characters); for a list, of each item. */
  max?: number;
  /** A choice's codes and what each means. */
  choices?: Record<string, string>;
  /** Sohoa computes it from the files: a station may not give it. */
  derivedOnly?: boolean;
  pattern?: RegExp;
}

/** Chế độ sử dụng. */
export const MODES = { '01': 'Công khai', '02': 'Sử dụng có điều kiện', '03': 'Mật' };
/** Mức độ tin cậy: how the record came to be digital. */
export const CONFIDENCE_LEVELS = { '01': 'Gốc điện tử', '02': 'Số hóa', '03': 'Hỗn hợp' };
const RISK_RECOVERY = { '0': 'Không', '1': 'Có' };

const text = (name: string, label: string, max: number, pattern?: RegExp): FieldSpec => ({ name, label, kind: 'text', max, pattern });
const derived = (name: string, label: string, kind: FieldKind = 'count'): FieldSpec => ({ name, label, kind, derivedOnly: true });

const SHARED: Record<string, FieldSpec> = {
  maintenance: text('maintenance', 'Thời hạn bảo quản', 20),
  mode: { name: 'mode', label: 'Chế độ sử dụng', kind: 'choice', choices: MODES },
  language: { name: 'language', label: 'Ngôn ngữ', kind: 'languages' },
  keyword: { name: 'keyword', label: 'Từ khóa', kind: 'list', max: 100 },
  numberOfPaper: { name: 'numberOfPaper', label: 'Số lượng tờ', kind: 'count' },
  numberOfPage: derived('numberOfPage', 'Số lượng trang'),
  format: text('format', 'Tình trạng vật lý', 100),
  inforSign: text('inforSign', 'Ký hiệu thông tin', 30),
  confidenceLevel: { name: 'confidenceLevel', label: 'Mức độ tin cậy', kind: 'choice', choices: CONFIDENCE_LEVELS },
  description: text('description', 'Ghi chú', 2000),
};

export const DOSSIER_FIELDS: FieldSpec[] = [
  derived('fileCode', 'Mã hồ sơ', 'text'),
  text('title', 'Tiêu đề hồ sơ', 500),
  SHARED.maintenance!,
  SHARED.mode!,
  SHARED.language!,
  { name: 'startDate', label: 'Thời gian bắt đầu', kind: 'date' },
  { name: 'endDate', label: 'Thời gian kết thúc', kind: 'date' },
  SHARED.keyword!,
  derived('totalDoc', 'Tổng số văn bản trong hồ sơ'),
  SHARED.numberOfPaper!,
  SHARED.numberOfPage!,
  SHARED.format!,
  SHARED.inforSign!,
  SHARED.confidenceLevel!,
  text('paperFileCode', 'Mã hồ sơ giấy', 50),
  { name: 'riskRecovery', label: 'Chế độ dự phòng', kind: 'choice', choices: RISK_RECOVERY },
  text('riskRecoveryStatus', 'Tình trạng dự phòng', 100),
  SHARED.description!,
];

export const DOCUMENT_FIELDS: FieldSpec[] = [
  derived('docId', 'Số thứ tự văn bản trong hồ sơ'),
  derived('fileCode', 'Mã hồ sơ', 'text'),
  derived('docCode', 'Mã định danh văn bản', 'text'),
  text('typeName', 'Tên loại văn bản', 100),
  text('codeNumber', 'Số của văn bản', 20, /^[0-9A-Za-zĐđ.-]+$/),
  // Ký hiệu: "UBND-KTTH", "2024/NĐ-CP"; no space (OCR and typing put them around the slash).
  text('codeNotation', 'Ký hiệu của văn bản', 50, /^[^\s/][^\s]*$/),
  { name: 'issuedDate', label: 'Ngày, tháng, năm văn bản', kind: 'date' },
  text('organName', 'Tên cơ quan, tổ chức ban hành văn bản', 200),
  text('subject', 'Trích yếu nội dung', 1000),
  SHARED.language!,
  SHARED.numberOfPage!,
  SHARED.keyword!,
  SHARED.mode!,
  SHARED.maintenance!,
  SHARED.numberOfPaper!,
  SHARED.format!,
  SHARED.inforSign!,
  SHARED.confidenceLevel!,
  text('autograph', 'Bút tích', 2000),
  text('process', 'Quy trình xử lý', 500),
  SHARED.description!,
];

/** A metadata value as stored: text, a day (YYYY-MM-DD), a count, or a list of texts. */
export type MetadataValue = string | number | string[];
export type MetadataRecord = Record<string, MetadataValue>;

/** What a station gives: the dossier's fields and the document's, each optional. */
export interface ArchivalMetadata {
  dossier: MetadataRecord;
  document: MetadataRecord;
}

function isDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return !!m && new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).toISOString().slice(0, 10) === value;
}

/** "vĩnh viễn" / "permanent" / a number of years, as the circular writes it: "Vĩnh viễn", "10 năm". */
function maintenance(value: string, where: string): string {
  const folded = value.normalize('NFC').trim().toLowerCase();
  if (folded === 'vĩnh viễn' || folded === 'permanent') return 'Vĩnh viễn';
  const years = /^(\d{1,3})( năm| years?)?$/.exec(folded);
  if (years && Number(years[1]) >= 1 && Number(years[1]) <= 100) return `${Number(years[1])} năm`;
  throw new UsageError(`${where} must be "Vĩnh viễn" or a number of years from 1 to 100, not "${value.slice(0, 40)}"`);
}

function checkText(spec: FieldSpec, raw: unknown, where: string, max = spec.max ?? 500): string {
  if (typeof raw !== 'string') throw new UsageError(`${where} must be text`);
  const value = raw.normalize('NFC').trim();
  if (value === '') throw new UsageError(`${where} is empty`);
  if (value.length > max) throw new UsageError(`${where} holds ${value.length} characters; at most ${max}`);
  // XMP and the catalog take it: a control character would break the PDF/A's validity.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) throw new UsageError(`${where} holds a control character`);
  if (spec.pattern && !spec.pattern.test(value))
    throw new UsageError(`${where} "${value.slice(0, 40)}" is not a valid ${spec.label.toLowerCase()}`);
  return value;
}

function checkValue(spec: FieldSpec, raw: unknown, where: string): MetadataValue {
  switch (spec.kind) {
    case 'text':
      return spec.name === 'maintenance' ? maintenance(checkText(spec, raw, where), where) : checkText(spec, raw, where);
    case 'date': {
      const value = checkText(spec, raw, where, 10);
      if (!isDay(value)) throw new UsageError(`${where} must be a day YYYY-MM-DD, not "${value}"`);
      return value;
    }
    case 'count':
      if (!Number.isInteger(raw) || (raw as number) < 0 || (raw as number) > 1_000_000)
        throw new UsageError(`${where} must be a whole number from 0 to 1000000`);
      return raw as number;
    case 'choice': {
      const value = typeof raw === 'number' ? String(raw) : checkText(spec, raw, where, 2);
      const code = spec.choices![value] ? value : spec.choices![value.padStart(2, '0')] ? value.padStart(2, '0') : undefined;
      if (!code) {
        const list = Object.entries(spec.choices!).map(([c, meaning]) => `${c} (${meaning})`);
        throw new UsageError(`${where} must be one of ${list.join(', ')}, not "${value}"`);
      }
      return code;
    }
    case 'list':
    case 'languages': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[;,]/) : null;
      if (!items) throw new UsageError(`${where} must be a list of texts`);
      const values = items.map((item, i) => checkText(spec, item, `${where}[${i}]`, spec.kind === 'languages' ? 20 : spec.max));
      if (spec.kind === 'languages') {
        const bad = values.find((v) => !/^[a-z]{2,3}$/.test(v));
        if (bad) throw new UsageError(`${where}: "${bad}" is not an ISO 639 language code (vi, en, fr…)`);
      }
      if (values.length === 0 || values.length > 50) throw new UsageError(`${where} must hold 1 to 50 items`);
      return [...new Set(values)];
    }
  }
}

function checkRecord(raw: unknown, fields: FieldSpec[], where: string): MetadataRecord {
  if (raw === undefined) return {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where} must be an object of fields`);
  const specs = new Map(fields.map((f) => [f.name, f]));
  const record: MetadataRecord = {};
  for (const [name, value] of Object.entries(raw)) {
    const spec = specs.get(name);
    if (!spec) {
      const allowed = fields.filter((f) => !f.derivedOnly).map((f) => f.name);
      throw new UsageError(`${where}.${name} is not a Circular 05/2025 field (expected ${allowed.join(', ')})`);
    }
    if (spec.derivedOnly) throw new UsageError(`${where}.${name} is derived by Sohoa from the files; leave it out`);
    if (value === null) continue;
    record[name] = checkValue(spec, value, `${where}.${name}`);
  }
  const start = record.startDate as string | undefined;
  const end = record.endDate as string | undefined;
  if (start && end && start > end) throw new UsageError(`${where}.startDate ${start} is after endDate ${end}`);
  return record;
}

/**
 * Checks a station's metadata (the parsed `--metadata` file or the upload's `metadata` field):
 * `{ "dossier": {…}, "document": {…} }`, every field named as the circular names it.
 */
export function parseArchivalMetadata(raw: unknown, source = 'metadata'): ArchivalMetadata {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UsageError(`${source} must be an object with dossier and document members`);
  const unknown = Object.keys(raw).filter((k) => k !== 'dossier' && k !== 'document');
  if (unknown.length) throw new UsageError(`${source} has ${unknown.join(', ')}; expected only dossier and document`);
  const { dossier, document } = raw as Record<string, unknown>;
  return {
    dossier: checkRecord(dossier, DOSSIER_FIELDS, `${source}.dossier`),
    document: checkRecord(document, DOCUMENT_FIELDS, `${source}.document`),
  };
}

/** A metadata value as one line of text (lists joined by "; "), as the XMP and the catalog show it. */
export function metadataText(value: MetadataValue): string {
  return Array.isArray(value) ? value.join('; ') : String(value);
}
