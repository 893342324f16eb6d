import { InvalidCodeError } from '../../pipeline/errors.js';

/** Agency code per Circular 10/2016/TT-BTTTT, e.g. `000.00.15.H17`. */
const AGENCY_CODE = /^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2}$/;
/** Dossier code per Circular 01/2018/TT-VPCP Art. 19: `<agency>-<YYMMDD>-<NNNN>`. */
const DOSSIER_CODE = /^([0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9]{2})-(\d{2})(\d{2})(\d{2})-(\d{4})$/;
/** The same, for request schemas: a path parameter that is no dossier code never reaches a route. */
export const DOSSIER_CODE_PATTERN = DOSSIER_CODE.source;
/** Procedure code from the national procedures database, e.g. `1.004227`. */
const PROCEDURE_CODE = /^\d\.\d{6}$/;

export interface DossierCode {
  code: string;
  agencyCode: string;
  /** Receipt date encoded in the code, ISO `YYYY-MM-DD`. */
  receivedOn: string;
  sequence: number;
}

export function parseDossierCode(code: string): DossierCode {
  const m = DOSSIER_CODE.exec(code);
  if (!m) {
    throw new InvalidCodeError(`dossier code "${code}" is not <agency code>-<YYMMDD>-<NNNN> (e.g. 000.00.15.H17-231114-0001)`);
  }
  const [, agencyCode, yy, mm, dd, seq] = m as unknown as [string, string, string, string, string, string];
  const month = Number(mm);
  const day = Number(dd);
  const date = new Date(Date.UTC(2000 + Number(yy), month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new InvalidCodeError(`dossier code "${code}" has an impossible receipt date ${yy}${mm}${dd}`);
  }
  return { code, agencyCode, receivedOn: date.toISOString().slice(0, 10), sequence: Number(seq) };
}

export function assertAgencyCode(code: string): string {
  if (!AGENCY_CODE.test(code)) {
    throw new InvalidCodeError(`agency code "${code}" is not of the form 000.00.15.H17`);
  }
  return code;
}

export function assertProcedureCode(code: string): string {
  if (!PROCEDURE_CODE.test(code)) {
    throw new InvalidCodeError(`procedure code "${code}" is not of the form 1.004227`);
  }
  return code;
}

/** A component code as a procedure's component list gives it (`TP01`, `1`, `don-de-nghi`). */
const COMPONENT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export function assertComponentCode(code: string): string {
  if (!COMPONENT_CODE.test(code)) {
    throw new InvalidCodeError(`component code "${code.slice(0, 40)}" is not 1-32 letters, digits, ".", "_" or "-"`);
  }
  return code;
}

/** File name of a digitized document (Circular 05/2025/TT-BNV): `<dossier code>.<nn>`. */
export function documentFileCode(dossierCode: string, documentNumber: number): string {
  return `${dossierCode}.${String(documentNumber).padStart(2, '0')}`;
}
