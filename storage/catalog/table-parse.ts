/**
 * Reading the tables the catalog imports (the one-stop-shop register, unit successions, procedure
 * versions): CSV (comma, semicolon or tab; a header row) or JSON (an array of objects,
 * `{ "rows": [...] }`, or one object), with English or Vietnamese column names. Each row is
 * validated on its own: a bad row yields an error with its line number and reason, and the good
 * rows go on. A file that cannot be read at all is an InputFileError.
 */
import { InputFileError, SohoaError } from '../../pipeline/errors.js';
import { foldText } from './search/index.js';

export interface RowError {
  /** 1-based line of the file where the row starts. */
  line: number;
  reason: string;
}

export interface ParsedTable<Row> {
  format: 'csv' | 'json';
  rows: Row[];
  /** The line each row starts on. */
  lines: number[];
  errors: RowError[];
}

/** What one kind of table is: its columns, and how a row is checked. */
export interface TableSpec<Field extends string, Row> {
  /** Column names folded and stripped of anything but letters and digits (`ma ho so` → `mahoso`). */
  aliases: Record<string, Field>;
  required: Field[];
  /** Checks one row (raw values: text from CSV, any JSON value); throws RowProblem. */
  normalise(raw: Partial<Record<Field, unknown>>): Row;
  /** What makes two rows the same one: a second is an error naming the first's line. */
  identity(row: Row): string;
}

/** A row's problem; becomes a RowError with the row's line. */
export class RowProblem extends Error {}

/** A raw value as trimmed NFC text; null when absent or empty. */
export function text(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new RowProblem(`${name} must be text, not ${typeof value}`);
  const trimmed = value.normalize('NFC').trim();
  return trimmed === '' ? null : trimmed;
}

/** A code checker's error (a SohoaError) as the row's problem. */
export function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SohoaError) throw new RowProblem(err.message);
    throw err;
  }
}

/** Every value of a row as text (see text()). */
export function textValues<Field extends string>(raw: Partial<Record<Field, unknown>>): Partial<Record<Field, string | null>> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, text(v, k)])) as Partial<Record<Field, string | null>>;
}

export function assertPresent<Field extends string>(values: Partial<Record<Field, string | null>>, required: readonly Field[]): void {
  const missing = required.filter((f) => !values[f]);
  if (missing.length) throw new RowProblem(`missing ${missing.join(', ')}`);
}

function fieldOf<Field extends string>(spec: TableSpec<Field, unknown>, name: string): Field | undefined {
  return spec.aliases[foldText(name).replace(/[^a-z0-9]/g, '')];
}

/** Validates rows in order; a row whose identity was seen before on another line is an error. */
function collect<Field extends string, Row>(
  spec: TableSpec<Field, Row>,
  entries: { line: number; raw: Partial<Record<Field, unknown>> }[],
  format: 'csv' | 'json',
  errors: RowError[],
): ParsedTable<Row> {
  const rows: Row[] = [];
  const lines: number[] = [];
  const seen = new Map<string, number>();
  for (const { line, raw } of entries) {
    try {
      const row = spec.normalise(raw);
      const id = spec.identity(row);
      const first = seen.get(id);
      if (first !== undefined) throw new RowProblem(`${id} is already on line ${first}`);
      seen.set(id, line);
      rows.push(row);
      lines.push(line);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      errors.push({ line, reason: err.message });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { format, rows, lines, errors };
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

function parseCsv<Field extends string, Row>(spec: TableSpec<Field, Row>, content: string, source: string): ParsedTable<Row> {
  const firstLine = content.slice(0, content.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const [header, ...records] = csvRecords(content, delimiter);
  if (!header) throw new InputFileError(source, 'the file is empty');
  const columns = header.fields.map((name) => fieldOf(spec, name));
  const missing = spec.required.filter((f) => !columns.includes(f));
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
  return collect(spec, entries, 'csv', errors);
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

function parseJson<Field extends string, Row>(spec: TableSpec<Field, Row>, content: string, source: string): ParsedTable<Row> {
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
  } else throw new InputFileError(source, 'expected an array of rows, { "rows": [...] } or one row object');
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
      const field = fieldOf(spec, k);
      if (field) raw[field] = v;
    }
    entries.push({ line: at, raw });
  });
  return collect(spec, entries, 'json', errors);
}

/** Reads a table; the format comes from the name (.csv/.json) or, failing that, the content. */
export function parseTable<Field extends string, Row>(
  spec: TableSpec<Field, Row>,
  bytes: Buffer,
  source: string,
  format?: 'csv' | 'json',
): ParsedTable<Row> {
  const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const kind = format ?? (/\.json$/i.test(source) ? 'json' : /\.csv$/i.test(source) ? 'csv' : /^\s*[[{]/.test(content) ? 'json' : 'csv');
  return kind === 'json' ? parseJson(spec, content, source) : parseCsv(spec, content, source);
}
