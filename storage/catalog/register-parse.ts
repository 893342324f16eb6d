/**
 * The one-stop-shop register (table-parse.ts reads the file): one row per dossier, with its
 * procedure (and version), the agency that received it and any others that handled it (liên
 * thông), its level, and when it was received, is due and was resolved.
 */
import { assertAgencyCode, assertProcedureCode, parseDossierCode } from '../objects/index.js';
import { foldText } from './search/index.js';
import { assertPresent, checked, type ParsedTable, parseTable, RowProblem, type TableSpec, text, textValues } from './table-parse.js';

export type Level = 'province' | 'district' | 'commune';
export const LEVEL_NAMES: readonly Level[] = ['province', 'district', 'commune'];

/** Local government had three levels until 30 June 2025; districts were abolished from 1 July 2025. */
export const DISTRICTS_ABOLISHED_ON = '2025-07-01';

/** One dossier of the register, normalised. */
export interface RegisterRow {
  dossierCode: string;
  procedureCode: string;
  procedureName: string | null;
  /** The procedure's version the dossier was handled under, when the register says. */
  procedureVersion: string | null;
  agencyCode: string;
  agencyName: string | null;
  /** Other agencies that handled the dossier (liên thông), the receiving one not repeated. */
  agencies: string[];
  level: Level;
  /** ISO 8601, UTC. */
  receivedAt: string;
  resolvedAt: string | null;
  /** When the result was promised (hẹn trả); a due day alone means the end of that day. */
  dueAt: string | null;
  /** Vietnamese calendar days (UTC+7) of receivedAt and resolvedAt. */
  receivedOn: string;
  resolvedOn: string | null;
}

export type { RowError } from './table-parse.js';
export type ParsedRegister = ParsedTable<RegisterRow>;

type Field =
  | 'dossierCode'
  | 'procedureCode'
  | 'procedureName'
  | 'procedureVersion'
  | 'agencyCode'
  | 'agencyName'
  | 'agencies'
  | 'level'
  | 'receivedAt'
  | 'resolvedAt'
  | 'dueAt';

const REQUIRED: Field[] = ['dossierCode', 'procedureCode', 'agencyCode', 'level', 'receivedAt'];

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
  procedureversion: 'procedureVersion',
  version: 'procedureVersion',
  phienban: 'procedureVersion',
  phienbanthutuc: 'procedureVersion',
  agencycode: 'agencyCode',
  agency: 'agencyCode',
  madonvi: 'agencyCode',
  macoquan: 'agencyCode',
  agencyname: 'agencyName',
  tendonvi: 'agencyName',
  tencoquan: 'agencyName',
  agencies: 'agencies',
  otheragencies: 'agencies',
  lienthong: 'agencies',
  coquanlienthong: 'agencies',
  donvilienthong: 'agencies',
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
  dueat: 'dueAt',
  due: 'dueAt',
  duedate: 'dueAt',
  hantra: 'dueAt',
  hangiaiquyet: 'dueAt',
  ngayhentra: 'dueAt',
  ngayhentraketqua: 'dueAt',
};

const LEVELS: Record<string, Level> = {
  province: 'province',
  tinh: 'province',
  thanhpho: 'province',
  captinh: 'province',
  district: 'district',
  huyen: 'district',
  quan: 'district',
  thixa: 'district',
  caphuyen: 'district',
  commune: 'commune',
  xa: 'commune',
  phuong: 'commune',
  dackhu: 'commune',
  capxa: 'commune',
};

export function parseLevel(value: string): Level {
  const level = LEVELS[foldText(value).replace(/[^a-z]/g, '')];
  if (!level) throw new RowProblem(`level "${value}" is not province, district or commune`);
  return level;
}

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

/** A day without a time of day (`2024-03-05`, `05/03/2024`): a due day lasts until its end. */
const DAY_ONLY = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4})$/;

function dueTime(value: string): string {
  const { iso } = parseRegisterTime(value, 'dueAt');
  return DAY_ONLY.test(value) ? new Date(Date.parse(iso) + 86_400_000 - 1).toISOString() : iso;
}

/** Agency codes given as a JSON array or as text separated by `;`, `,`, `|` or spaces. */
function agencyList(value: unknown, receiving: string): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map((v) => text(v, 'agencies')) : (text(value, 'agencies') ?? '').split(/[;,|\s]+/);
  const codes = items.filter((c): c is string => !!c).map((c) => checked(() => assertAgencyCode(c)));
  return [...new Set(codes)].filter((c) => c !== receiving);
}

/** Validates one row given as field → raw value. */
export function normaliseRow(raw: Partial<Record<Field, unknown>>): RegisterRow {
  const { agencies, ...single } = raw;
  const values = textValues<Field>(single);
  assertPresent(values, REQUIRED);
  const dossierCode = checked(() => parseDossierCode(values.dossierCode!).code);
  const procedureCode = checked(() => assertProcedureCode(values.procedureCode!));
  const agencyCode = checked(() => assertAgencyCode(values.agencyCode!));
  const level = parseLevel(values.level!);
  const received = parseRegisterTime(values.receivedAt!, 'receivedAt');
  if (level === 'district' && received.day >= DISTRICTS_ABOLISHED_ON)
    throw new RowProblem(`level district ended on 30 June 2025; this dossier was received on ${received.day}`);
  const resolved = values.resolvedAt ? parseRegisterTime(values.resolvedAt, 'resolvedAt') : null;
  if (resolved && resolved.iso < received.iso)
    throw new RowProblem(`resolvedAt ${values.resolvedAt} is before receivedAt ${values.receivedAt}`);
  const dueAt = values.dueAt ? dueTime(values.dueAt) : null;
  if (dueAt && dueAt < received.iso) throw new RowProblem(`dueAt ${values.dueAt} is before receivedAt ${values.receivedAt}`);
  if (values.procedureVersion && values.procedureVersion.length > 32) throw new RowProblem('procedureVersion is longer than 32 characters');
  return {
    dossierCode,
    procedureCode,
    procedureName: values.procedureName ?? null,
    procedureVersion: values.procedureVersion ?? null,
    agencyCode,
    agencyName: values.agencyName ?? null,
    agencies: agencyList(agencies, agencyCode),
    level,
    receivedAt: received.iso,
    resolvedAt: resolved?.iso ?? null,
    dueAt,
    receivedOn: received.day,
    resolvedOn: resolved?.day ?? null,
  };
}

const REGISTER: TableSpec<Field, RegisterRow> = {
  aliases: ALIASES,
  required: REQUIRED,
  normalise: normaliseRow,
  identity: (row) => `dossier ${row.dossierCode}`,
};

/** Reads a register file; the format comes from the name (.csv/.json) or, failing that, the content. */
export function parseRegister(bytes: Buffer, source: string, format?: 'csv' | 'json'): ParsedRegister {
  return parseTable(REGISTER, bytes, source, format);
}
