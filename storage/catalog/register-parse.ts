/**
 * Reading the one-stop-shop register: CSV (comma, semicolon or tab; a header row) or JSON (an
 * array of objects, `{ "rows": [...] }`, or one object), with English or Vietnamese column names.
 * Each row is validated on its own: a bad row yields an error with its line number and reason,
 * and the good rows go on. A file that cannot be read at all is an InputFileError.
 */
import { InputFileError, SohoaError } from '../../pipeline/errors.js';
import { assertAgencyCode, assertProcedureCode, parseDossierCode } from '../objects/index.js';
import { foldText } from './search/index.js';

export type Level = 'province' | 'commune';

/** One dossier of the register, normalised. */
export interface RegisterRow {
  dossierCode: string;
  procedureCode: string;
  procedureName: string | null;
  agencyCode: string;
  agencyName: string | null;
  level: Level;
  /** ISO 8601, UTC. */
  receivedAt: string;
  resolvedAt: string | null;
  /** Vietnamese calendar days (UTC+7) of receivedAt and resolvedAt. */
  receivedOn: string;
  resolvedOn: string | null;
}

export interface RowError {
  /** 1-based line of the file where the row starts. */
  line: number;
  reason: string;
}

export interface ParsedRegister {
  format: 'csv' | 'json';
  rows: RegisterRow[];
  errors: RowError[];
}

type Field = 'dossierCode' | 'procedureCode' | 'procedureName' | 'agencyCode' | 'agencyName' | 'level' | 'receivedAt' | 'resolvedAt';

const REQUIRED: Field[] = ['dossierCode', 'procedureCode', 'agencyCode', 'level', 'receivedAt'];

/** Column names, folded and stripped of anything but letters and digits. */
const ALIASES: Record<string, Field> = {
  dossiercode: 'dossierCode',
  code: 'dossierCode',
  dossier: 'dossierCode',
  mahoso: 'dossierCode',
  sohoso: 'dossierCode',
  procedurecode: 'procedureCode',
  procedure: 'procedureCode',
  mathutuc: 'procedureCode',
  matthc: 'procedureCode',
  procedurename: 'procedureName',
  tenthutuc: 'procedureName',
  tentthc: 'procedureName',
  agencycode: 'agencyCode',
  agency: 'agencyCode',
  madonvi: 'agencyCode',
  macoquan: 'agencyCode',
  agencyname: 'agencyName',
  tendonvi: 'agencyName',
  tencoquan: 'agencyName',
  level: 'level',
  cap: 'level',
  capthuchien: 'level',
  receivedat: 'receivedAt',
  received: 'receivedAt',
  ngaytiepnhan: 'receivedAt',
  ngaynhan: 'receivedAt',
  resolvedat: 'resolvedAt',
  resolved: 'resolvedAt',
  ngaytraketqua: 'resolvedAt',
  ngaygiaiquyet: 'resolvedAt',
  ngayhoanthanh: 'resolvedAt',
};

function fieldOf(name: string): Field | undefined {
  return ALIASES[foldText(name).replace(/[^a-z0-9]/g, '')];
}

const LEVELS: Record<string, Level> = {
  province: 'province',
  tinh: 'province',
  thanhpho: 'province',
  captinh: 'province',
  commune: 'commune',
  xa: 'commune',
  phuong: 'commune',
  dackhu: 'commune',
  capxa: 'commune',
};

/** A row's problem; becomes a RowError with the row's line. */
class RowProblem extends Error {}

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/**
 * `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z|±HH:mm]` or `DD/MM/YYYY[ HH:mm[:ss]]`; without
 * an offset the time is Vietnam time.
 */
export function parseRegisterTime(value: string, name: string): { iso: string; day: string } {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  const parts = iso
    ? { y: iso[1], mo: iso[2], d: iso[3], h: iso[4], mi: iso[5], s: iso[6], f: iso[7], zone: iso[8] }
    : vn
      ? { y: vn[3], mo: vn[2], d: vn[1], h: vn[4], mi: vn[5], s: vn[6], f: undefined, zone: undefined }
      : null;
  if (!parts) throw new RowProblem(`${name} "${value}" is not a date (YYYY-MM-DD[THH:mm[:ss]][±HH:mm] or DD/MM/YYYY [HH:mm])`);
  const [y, mo, d, h, mi, s] = [parts.y, parts.mo, parts.d, parts.h ?? '0', parts.mi ?? '0', parts.s ?? '0'].map(Number) as number[];
  const ms = Math.round(Number(`0.${parts.f ?? '0'}`) * 1000);
  const local = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms);
  const check = new Date(local);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d || h! > 23 || mi! > 59 || s! > 59) {
    throw new RowProblem(`${name} "${value}" is not a valid date`);
  }
  let offsetMs = VIETNAM_OFFSET_MS;
  if (parts.zone === 'Z') offsetMs = 0;
  else if (parts.zone) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(parts.zone)!;
    offsetMs = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  }
  const instant = local - offsetMs;
  return { iso: new Date(instant).toISOString(), day: new Date(instant + VIETNAM_OFFSET_MS).toISOString().slice(0, 10) };
}

function text(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new RowProblem(`${name} must be text, not ${typeof value}`);
  const trimmed = value.normalize('NFC').trim();
  return trimmed === '' ? null : trimmed;
}

function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SohoaError) throw new RowProblem(err.message);
    throw err;
  }
}

/** Validates one row given as field → raw value. */
export function normaliseRow(raw: Partial<Record<Field, unknown>>): RegisterRow {
  const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, text(v, k)])) as Partial<Record<Field, string | null>>;
  const missing = REQUIRED.filter((f) => !values[f]);
  if (missing.length) throw new RowProblem(`missing ${missing.join(', ')}`);
  const dossierCode = checked(() => parseDossierCode(values.dossierCode!).code);
  const procedureCode = checked(() => assertProcedureCode(values.procedureCode!));
  const agencyCode = checked(() => assertAgencyCode(values.agencyCode!));
  const level = LEVELS[foldText(values.level!).replace(/[^a-z]/g, '')];
  if (!level) throw new RowProblem(`level "${values.level}" is not province or commune`);
  const received = parseRegisterTime(values.receivedAt!, 'receivedAt');
  const resolved = values.resolvedAt ? parseRegisterTime(values.resolvedAt, 'resolvedAt') : null;
  if (resolved && resolved.iso < received.iso)
    throw new RowProblem(`resolvedAt ${values.resolvedAt} is before receivedAt ${values.receivedAt}`);
  return {
    dossierCode,
    procedureCode,
    procedureName: values.procedureName ?? null,
    agencyCode,
    agencyName: values.agencyName ?? null,
    level,
    receivedAt: received.iso,
    resolvedAt: resolved?.iso ?? null,
    receivedOn: received.day,
    resolvedOn: resolved?.day ?? null,
  };
}

/** Validates rows in order; a dossier code seen before on another line is an error. */
function collect(
  entries: { line: number; raw: Partial<Record<Field, unknown>> }[],
  format: 'csv' | 'json',
  errors: RowError[],
): ParsedRegister {
  const rows: RegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, raw } of entries) {
    try {
      const row = normaliseRow(raw);
      const first = seen.get(row.dossierCode);
      if (first !== undefined) throw new RowProblem(`dossier ${row.dossierCode} is already on line ${first}`);
      seen.set(row.dossierCode, line);
      rows.push(row);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      errors.push({ line, reason: err.message });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { format, rows, errors };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Records of a CSV text with the line each starts on (RFC 4180 quoting; fields may span lines). */
export function csvRecords(content: string, delimiter: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const endRecord = () => {
    fields.push(field);
    if (any || fields.length > 1 || field !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < content.length; i++) {
    const ch = content[i]!;
    if (quoted) {
      if (ch === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      any = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && content[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += ch;
  }
  if (field !== '' || fields.length || any) endRecord();
  return records;
}

function parseCsv(content: string, source: string): ParsedRegister {
  const firstLine = content.slice(0, content.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const [header, ...records] = csvRecords(content, delimiter);
  if (!header) throw new InputFileError(source, 'the file is empty');
  const columns = header.fields.map((name) => fieldOf(name));
  const missing = REQUIRED.filter((f) => !columns.includes(f));
  if (missing.length) {
    throw new InputFileError(source, `the header (line 1) has no column for ${missing.join(', ')}; found: ${header.fields.join(', ')}`);
  }
  const errors: RowError[] = [];
  const entries: { line: number; raw: Partial<Record<Field, unknown>> }[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== header.fields.length) {
      errors.push({ line, reason: `${fields.length} field(s), the header has ${header.fields.length}` });
      continue;
    }
    const raw: Partial<Record<Field, unknown>> = {};
    fields.forEach((value, i) => {
      const field = columns[i];
      if (field) raw[field] = value;
    });
    entries.push({ line, raw });
  }
  return collect(entries, 'csv', errors);
}

// ---------------------------------------------------------------------------------------------
// JSON

const ROW_KEYS = new Set(['rows', 'dossiers', 'items', 'data']);

/** Offsets where the row values begin in a valid JSON text (the top array, or the rows array). */
export function jsonRowOffsets(content: string): number[] {
  interface Frame {
    kind: 'array' | 'object';
    rows: boolean;
    expectKey: boolean;
    key: string | null;
  }
  const offsets: number[] = [];
  const stack: Frame[] = [];
  const top = () => stack[stack.length - 1];
  let i = 0;
  while (i < content.length) {
    const ch = content[i]!;
    const frame = top();
    if (ch === '"') {
      let end = i + 1;
      while (content[end] !== '"') end += content[end] === '\\' ? 2 : 1;
      if (frame?.kind === 'object' && frame.expectKey) {
        frame.key = JSON.parse(content.slice(i, end + 1)) as string;
        frame.expectKey = false;
      } else if (frame?.rows) offsets.push(i);
      i = end + 1;
    } else if (ch === '{' || ch === '[') {
      if (frame?.rows) offsets.push(i);
      const rows = ch === '[' && (!frame || (stack.length === 1 && frame.kind === 'object' && ROW_KEYS.has(frame.key ?? '')));
      stack.push({ kind: ch === '{' ? 'object' : 'array', rows, expectKey: ch === '{', key: null });
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
    } else if (ch === ',') {
      if (frame?.kind === 'object') frame.expectKey = true;
      i++;
    } else if (/[\s:]/.test(ch)) i++;
    else {
      if (frame?.rows) offsets.push(i);
      while (i < content.length && !/[\s,\]}]/.test(content[i]!)) i++;
    }
  }
  return offsets;
}

function lineAt(content: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function parseJson(content: string, source: string): ParsedRegister {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const where = at ? ` (line ${lineAt(content)(Number(at[1]))})` : '';
    throw new InputFileError(source, `not valid JSON${where}: ${(err as Error).message}`);
  }
  const line = lineAt(content);
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (value && typeof value === 'object') {
    const key = Object.keys(value).find((k) => ROW_KEYS.has(k) && Array.isArray((value as Record<string, unknown>)[k]));
    list = key ? ((value as Record<string, unknown>)[key] as unknown[]) : [value];
  } else throw new InputFileError(source, 'expected an array of dossiers, { "rows": [...] } or one dossier object');
  const offsets = list.length === 1 && !Array.isArray(value) && list[0] === value ? [content.search(/\S/)] : jsonRowOffsets(content);
  const errors: RowError[] = [];
  const entries: { line: number; raw: Partial<Record<Field, unknown>> }[] = [];
  list.forEach((item, index) => {
    const at = offsets.length === list.length ? line(offsets[index]!) : index + 1;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ line: at, reason: 'a row must be an object' });
      return;
    }
    const raw: Partial<Record<Field, unknown>> = {};
    for (const [k, v] of Object.entries(item)) {
      const field = fieldOf(k);
      if (field) raw[field] = v;
    }
    entries.push({ line: at, raw });
  });
  return collect(entries, 'json', errors);
}

/** Reads a register file; the format comes from the name (.csv/.json) or, failing that, the content. */
export function parseRegister(bytes: Buffer, source: string, format?: 'csv' | 'json'): ParsedRegister {
  const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const kind = format ?? (/\.json$/i.test(source) ? 'json' : /\.csv$/i.test(source) ? 'csv' : /^\s*[[{]/.test(content) ? 'json' : 'csv');
  return kind === 'json' ? parseJson(content, source) : parseCsv(content, source);
}
