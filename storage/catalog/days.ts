import { UsageError } from '../../pipeline/errors.js';

/** Checks a `YYYY-MM-DD` calendar day (a real one: no 30 February). */
export function assertDay(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new UsageError(`${name} must be a day YYYY-MM-DD, not "${value}"`);
}
