/**
 * Process logger. Logs carry dossier codes, page numbers and job ids — never OCR text, file names
 * or anything else a citizen wrote (Decree 13/2023/NĐ-CP).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'sohoa'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
