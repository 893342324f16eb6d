/**
 * Process logger. Logs carry dossier codes, page numbers and job ids — never OCR text, file names
 * or anything else a citizen wrote (Decree 13/2023/NĐ-CP).
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Lines go to standard error, or appended to `file` (SOHOA_LOG_FILE) by every process that shares it. */
export function createLogger(level: LogLevel, file?: string): Logger {
  return pino(
    { name: 'sohoa', level, base: { pid: process.pid } },
    pino.destination(file ? { dest: file, append: true, mkdir: true, sync: true } : 2),
  );
}
