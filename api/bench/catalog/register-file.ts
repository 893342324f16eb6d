/**
 * The benchmark's one-stop-shop register: a CSV export of `rows` dossiers — most of the generated
 * catalog (received when their code says, resolved a few days later when a result exists and for
 * some others), dossiers received but never digitized, and a few broken lines that must be
 * rejected while every good row is kept.
 */
import type { SqlClient } from '../../../storage/catalog/index.js';
import { AGENCIES, PROCEDURES } from './vocabulary.js';

export interface RegisterFile {
  csv: string;
  goodRows: number;
  badRows: number;
}

const HEADER = 'ma_ho_so,ma_thu_tuc,ten_thu_tuc,ma_don_vi,ten_don_vi,cap,ngay_tiep_nhan,ngay_tra_ket_qua';

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function registerFile(sql: SqlClient, rows: number, badRows: number): Promise<RegisterFile> {
  const catalogued = await sql.query<{ code: string; procedure_code: string; agency_code: string; received_on: string; result: boolean }>(
    `SELECT code, procedure_code, agency_code, to_char(received_on, 'YYYY-MM-DD') AS received_on, result_digitized AS result
     FROM dossiers ORDER BY code`,
  );
  const procedures = new Map(PROCEDURES.map((p) => [p.code, p.name]));
  const agencies = new Map(AGENCIES.map((a) => [a.code, a]));
  const line = (code: string, procedure: string, agency: string, received: string, resolved: string) => {
    const a = agencies.get(agency)!;
    return [
      code,
      procedure,
      procedures.get(procedure)!,
      agency,
      a.name,
      a.level,
      `${received} 08:${String(code.length % 60).padStart(2, '0')}`,
      resolved,
    ]
      .map(csvField)
      .join(',');
  };
  const lines: string[] = [];
  // One catalogued dossier in twenty is missing from the register (digitized but unregistered).
  const registered = catalogued.filter((_, i) => i % 20 !== 7).slice(0, rows);
  registered.forEach((d, i) => {
    const resolved = d.result || i % 5 === 0 ? addDays(d.received_on, 3 + (i % 15)) : '';
    lines.push(line(d.code, d.procedure_code, d.agency_code, d.received_on, resolved));
  });
  // The rest: received, never digitized (sequence numbers 9000+ are never generated; the source
  // dossier's own sequence number keeps them apart from each other).
  for (let i = 0; lines.length < rows; i++) {
    const d = catalogued[i % catalogued.length]!;
    const code = `${d.code.slice(0, -4)}${9000 + (Number(d.code.slice(-4)) - 1) * 100 + Math.floor(i / catalogued.length)}`;
    lines.push(line(code, d.procedure_code, d.agency_code, d.received_on, i % 3 === 0 ? addDays(d.received_on, 10) : ''));
  }
  // Broken lines spread through the file.
  const broken = [
    '000.00.11.H17-230230-0001,1.004227,x,000.00.11.H17,x,province,2023-02-28,',
    '000.00.11.H17-250801-0001,1.004227,x,000.00.11.H17,x,district,2025-08-01,',
  ];
  for (let k = 0; k < badRows; k++) lines.splice(Math.floor(((k + 1) * lines.length) / (badRows + 1)), 0, broken[k % broken.length]!);
  return { csv: [HEADER, ...lines].join('\n'), goodRows: rows, badRows };
}
