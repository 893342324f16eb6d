import type { Config } from '../config.js';

/**
 * A `sohoa` subcommand: its arguments and the configuration in, 0 out when everything went
 * through. Anything else is thrown as a SohoaError, whose exit code the process ends with.
 */
export type Command = (args: string[], config: Config) => Promise<number>;
