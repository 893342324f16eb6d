/** Positional parameters ($1, $2, …) collected while a statement is assembled. */
export class Params {
  readonly values: unknown[] = [];
  /** Adds a value; returns its placeholder. Bound, so it can be passed around. */
  readonly add = (value: unknown): string => `$${this.values.push(value)}`;
}
