/**
 * Reference tables beside the register (table-parse.ts reads the files):
 * - unit successions: a former unit (a district, a commune merged in 2025) and its successor, so
 *   coverage of the years before the merge rolls up into today's units;
 * - procedure versions: a procedure's version, its validity days and the components its dossier
 *   must hold, so "all required components digitized" is checked, not approximated.
 */
import { assertAgencyCode, assertComponentCode, assertProcedureCode } from '../objects/index.js';
import { DISTRICTS_ABOLISHED_ON, type Level, parseLevel, parseRegisterTime } from './register-parse.js';
import { assertPresent, checked, type ParsedTable, parseTable, RowProblem, type TableSpec, text, textValues } from './table-parse.js';

export interface UnitSuccession {
  formerCode: string;
  formerName: string | null;
  formerLevel: Level | null;
  successorCode: string;
  successorName: string | null;
  successorLevel: Level | null;
  /** First day the successor does the former unit's work (1 July 2025 unless said). */
  effectiveOn: string;
}

type UnitField = keyof UnitSuccession;

const UNITS_REQUIRED: UnitField[] = ['formerCode', 'successorCode'];

const UNIT_ALIASES: Record<string, UnitField> = {
  formercode: 'formerCode',
  former: 'formerCode',
  madonvicu: 'formerCode',
  macoquancu: 'formerCode',
  formername: 'formerName',
  tendonvicu: 'formerName',
  formerlevel: 'formerLevel',
  capcu: 'formerLevel',
  successorcode: 'successorCode',
  successor: 'successorCode',
  madonvimoi: 'successorCode',
  macoquanmoi: 'successorCode',
  successorname: 'successorName',
  tendonvimoi: 'successorName',
  successorlevel: 'successorLevel',
  capmoi: 'successorLevel',
  effectiveon: 'effectiveOn',
  effective: 'effectiveOn',
  ngayhieuluc: 'effectiveOn',
  tungay: 'effectiveOn',
};

function optionalLevel(value: string | null | undefined): Level | null {
  return value ? parseLevel(value) : null;
}

function normaliseUnit(raw: Partial<Record<UnitField, unknown>>): UnitSuccession {
  const v = textValues<UnitField>(raw);
  assertPresent(v, UNITS_REQUIRED);
  const formerCode = checked(() => assertAgencyCode(v.formerCode!));
  const successorCode = checked(() => assertAgencyCode(v.successorCode!));
  if (formerCode === successorCode) throw new RowProblem(`${formerCode} cannot succeed itself`);
  const successorLevel = optionalLevel(v.successorLevel);
  if (successorLevel === 'district') throw new RowProblem('a successor cannot be a district: districts were abolished on 1 July 2025');
  return {
    formerCode,
    formerName: v.formerName ?? null,
    formerLevel: optionalLevel(v.formerLevel),
    successorCode,
    successorName: v.successorName ?? null,
    successorLevel,
    effectiveOn: v.effectiveOn ? parseRegisterTime(v.effectiveOn, 'effectiveOn').day : DISTRICTS_ABOLISHED_ON,
  };
}

const UNITS: TableSpec<UnitField, UnitSuccession> = {
  aliases: UNIT_ALIASES,
  required: UNITS_REQUIRED,
  normalise: normaliseUnit,
  identity: (row) => `former unit ${row.formerCode}`,
};

export function parseUnitSuccessions(bytes: Buffer, source: string, format?: 'csv' | 'json'): ParsedTable<UnitSuccession> {
  return parseTable(UNITS, bytes, source, format);
}

/** The rows whose successor chain, with the catalog's, would lead back to their own former unit. */
export function cyclicSuccessions(rows: UnitSuccession[], existing: Map<string, string>): Set<UnitSuccession> {
  const next = new Map(existing);
  for (const row of rows) next.set(row.formerCode, row.successorCode);
  const cyclic = new Set<UnitSuccession>();
  for (const row of rows) {
    const seen = new Set([row.formerCode]);
    for (let at = next.get(row.formerCode); at !== undefined; at = next.get(at)) {
      if (seen.has(at)) {
        cyclic.add(row);
        break;
      }
      seen.add(at);
    }
  }
  return cyclic;
}

// ---------------------------------------------------------------------------------------------

export interface ProcedureComponent {
  code: string;
  name: string;
}

export interface ProcedureVersion {
  procedureCode: string;
  procedureName: string | null;
  version: string;
  validFrom: string;
  validTo: string | null;
  /** The components a dossier of this version must hold. */
  components: ProcedureComponent[];
}

type ProcedureField = keyof ProcedureVersion;

const PROCEDURE_ALIASES: Record<string, ProcedureField> = {
  procedurecode: 'procedureCode',
  procedure: 'procedureCode',
  code: 'procedureCode',
  mathutuc: 'procedureCode',
  matthc: 'procedureCode',
  procedurename: 'procedureName',
  name: 'procedureName',
  tenthutuc: 'procedureName',
  tentthc: 'procedureName',
  version: 'version',
  phienban: 'version',
  validfrom: 'validFrom',
  hieuluctu: 'validFrom',
  ngayhieuluc: 'validFrom',
  validto: 'validTo',
  hieulucden: 'validTo',
  ngayhethieuluc: 'validTo',
  components: 'components',
  thanhphanhoso: 'components',
  thanhphan: 'components',
};

/** `[{ "code", "name" }]` or `["code: name", …]` in JSON; `code: name; code: name` in CSV. */
function componentList(value: unknown): ProcedureComponent[] {
  const items: unknown[] = Array.isArray(value) ? value : (text(value, 'components') ?? '').split(';');
  const list = items.flatMap((item): ProcedureComponent[] => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Record<string, unknown>;
      return [{ code: text(o.code, 'component code') ?? '', name: text(o.name, 'component name') ?? '' }];
    }
    const entry = text(item, 'component');
    if (!entry) return [];
    const colon = entry.indexOf(':');
    return [colon < 0 ? { code: entry, name: '' } : { code: entry.slice(0, colon).trim(), name: entry.slice(colon + 1).trim() }];
  });
  if (list.length === 0) throw new RowProblem('components is empty: a version lists the components its dossier must hold');
  const codes = new Set<string>();
  for (const c of list) {
    checked(() => assertComponentCode(c.code));
    if (codes.has(c.code)) throw new RowProblem(`component ${c.code} is listed twice`);
    if (c.name.length > 300) throw new RowProblem(`component ${c.code}'s name is longer than 300 characters`);
    codes.add(c.code);
  }
  return list;
}

function normaliseProcedure(raw: Partial<Record<ProcedureField, unknown>>): ProcedureVersion {
  const { components, ...single } = raw;
  const v = textValues<ProcedureField>(single);
  assertPresent(v, ['procedureCode', 'version', 'validFrom']);
  if (v.version!.length > 32) throw new RowProblem('version is longer than 32 characters');
  const validFrom = parseRegisterTime(v.validFrom!, 'validFrom').day;
  const validTo = v.validTo ? parseRegisterTime(v.validTo, 'validTo').day : null;
  if (validTo && validTo < validFrom) throw new RowProblem(`validTo ${validTo} is before validFrom ${validFrom}`);
  return {
    procedureCode: checked(() => assertProcedureCode(v.procedureCode!)),
    procedureName: v.procedureName ?? null,
    version: v.version!,
    validFrom,
    validTo,
    components: componentList(components),
  };
}

const PROCEDURES: TableSpec<ProcedureField, ProcedureVersion> = {
  aliases: PROCEDURE_ALIASES,
  required: ['procedureCode', 'version', 'validFrom', 'components'],
  normalise: normaliseProcedure,
  identity: (row) => `procedure ${row.procedureCode} version ${row.version}`,
};

export function parseProcedureVersions(bytes: Buffer, source: string, format?: 'csv' | 'json'): ParsedTable<ProcedureVersion> {
  return parseTable(PROCEDURES, bytes, source, format);
}
