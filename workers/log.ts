/**
 * Process logger. Logs carry dossier codes, page numbers and job ids — never OCR text, file names
 * or anything else a citizen wrote (Decree 13/2023/NĐ-CP).
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, name = 'sohoa'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
