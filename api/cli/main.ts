/**
 * `sohoa` command line. Each command returns 0 when everything went through, or throws a
 * SohoaError: the process prints its message and ends with the error class's exit code.
 */
import { SohoaError, UsageError } from '../../pipeline/errors.js';
import { redact } from '../../storage/redact.js';
import { CONFIG_VARIABLES, loadConfig } from '../config.js';
import type { Command } from './command.js';

const USAGE = `usage: sohoa <command> [options]

  digitize <files|folders...> --dossier <code> --out <dir>
           [--procedure <code>] [--agency <code>] [--kind component|result] [--component <code>]
           [--title <text>] [--metadata <file.json>]
           [--pdfa 2b|1b] [--sign]
                       digitize one document of a dossier; writes <out>/<dossier code>.pdf
  digitize <files|folders...> --batch --out <dir> [--dossier <code> ...]
                       a scanned stack split by its cover sheets (pages before the first one go
                       to --dossier); one line per document, <out>/<dossier code>.pdf per dossier
  coversheet <dossier code> [--kind component|result] [--procedure <code>] [--out <file.pdf>]
                       a printable A4 cover sheet with the QR code a stack is split by
  redo <dossier code>.<nn> [--out <dir>]
                       run the failed pages of a document again
  withdraw <dossier code>.<nn> --reason <text>
                       take back a document sent under the wrong dossier code or kind
  metadata <dossier code>[.<nn>] <fields.json>
                       correct the Circular 05/2025 fields of a dossier or a document (null takes one
                       away): its PDF/A files get them, the manifest says who changed what
  start [--sample]     API + workers + embedded services in one process
                       (--sample: digitize the bundled sample dossier first)
  api                  the HTTP API and the catalog indexer
  worker               cleanup, OCR and packaging workers (Redis + object store only)
  watch [<dir>] [--poll <seconds>] [--settle <seconds>]
                       hot folder (default SOHOA_WATCH_DIR): digitize each file a scanner drops
                       into <dir> once unchanged for --settle (5 s), then move it to <dir>/done/,
                       or to <dir>/failed/ with a .error.txt; a file in <dir>/<dossier code>/ goes
                       to that dossier, one directly in <dir> must start with a cover sheet
  verify [--dossier <code>]
                       re-hash every stored object against its manifest
  export <dossier code> --format eark --out <dir>
                       the dossier as an E-ARK CSIP/SIP package (METS, PREMIS with SHA-256 fixity,
                       Circular 05/2025 metadata, the PDF/A, the originals, the OCR text) in <dir>/<code>/
  store orphans [--delete]
                       objects the manifests do not name and no work in progress will (a crash
                       between writing a file and its manifest, a submission whose flow was lost)
  catalog rebuild      rebuild the catalog from the manifests and register imports in the object store
  register import <file.csv|file.json|file.xlsx> [--table dossiers|units|procedures] [--format csv|json|xlsx] [--json]
                       import the one-stop-shop register's dossiers, unit successions (former unit → successor)
                       or procedure versions with their required components (bad rows reported by line)
  coverage [--by procedure|agency|level] [--period month|quarter|year] [--from <day>] [--to <day>]
           [--procedure <code>] [--agency <code>] [--level province|district|commune]
           [--roll-up] [--lang vi|en] [--undigitized] [--json]
                       digitization rates with raw counts, or the dossiers not yet digitized
  search <query> [--any] [--procedure <code>] [--agency <code>] [--from <day>] [--to <day>]
           [--dossier <code|prefix*>] [--title <words>] [--subject <words>] [--organ <words>]
           [--notation <ký hiệu>] [--issued-from <day>] [--issued-to <day>] [--limit <n>] [--offset <n>] [--json]
                       full-text search of the OCR pages ("phrases", prefix*, OR)
  user add <name> --role <role> [--agency <code>] [--display-name <text>] [--password-stdin]
  user list | user disable <name> | user enable <name> | user password <name> [--password-stdin]
                       people who sign in to the web app (roles: station, archivist, reform, admin)
  token issue <name> --role <role> [--agency <code>] | token list | token revoke <id>
                       bearer tokens for machines (scanners, the one-stop-shop system)
  config               show the configuration variables and their values`;

const configCommand: Command = async (_args, config) => {
  for (const v of CONFIG_VARIABLES) {
    const value = process.env[v.name];
    const shown = value === undefined ? v.default : /SECRET|PASSWORD/.test(v.name) ? '***' : redact(value);
    console.log(`${v.name.padEnd(20)} ${shown.padEnd(16)} ${v.meaning}`);
  }
  console.log(`\ndata directory: ${config.dataDir}`);
  return 0;
};

/**
 * Each command's module is loaded when it is asked for: loading them all (the HTTP server, the
 * catalog, the workers) took 1.5 s of every command's start, the digitize command's alone 0.9 s.
 */
const commands: Record<string, () => Promise<Command>> = {
  digitize: async () => (await import('./digitize.js')).digitizeCommand,
  coversheet: async () => (await import('./document-commands.js')).coversheetCommand,
  redo: async () => (await import('./document-commands.js')).redoCommand,
  withdraw: async () => (await import('./document-commands.js')).withdrawCommand,
  metadata: async () => (await import('./document-commands.js')).metadataCommand,
  export: async () => (await import('./export.js')).exportCommand,
  start: async () => (await import('./serve.js')).serveCommand({ catalog: 'required', pipelineWorkers: true }),
  api: async () => (await import('./serve.js')).serveCommand({ catalog: 'required', pipelineWorkers: false }),
  worker: async () => (await import('./serve.js')).workerCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
  verify: async () => (await import('./store-commands.js')).verifyCommand,
  store: async () => (await import('./store-commands.js')).storeCommand,
  catalog: async () => (await import('./store-commands.js')).catalogCommand,
  register: async () => (await import('./catalog-commands.js')).registerCommand,
  coverage: async () => (await import('./catalog-commands.js')).coverageCommand,
  search: async () => (await import('./catalog-commands.js')).searchCommand,
  user: async () => (await import('./account-commands.js')).userCommand,
  token: async () => (await import('./account-commands.js')).tokenCommand,
  config: async () => configCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return 0;
  }
  const load = name === undefined || !Object.hasOwn(commands, name) ? undefined : commands[name];
  if (!load) throw new UsageError(name === undefined ? USAGE : `unknown command "${name}"\n${USAGE}`);
  const command = await load();
  // One-shot commands talk to a person, and say themselves what failed (a FAILED line per page):
  // the log adds only errors, unless LOG_LEVEL says otherwise.
  const quiet = !['start', 'api', 'worker', 'watch'].includes(name!) && !process.env.LOG_LEVEL;
  return command(args, loadConfig(quiet ? { ...process.env, LOG_LEVEL: 'error' } : process.env));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof SohoaError) {
      console.error(`sohoa: ${err.message}`);
      process.exit(err.exitCode);
    }
    console.error(err);
    process.exit(1);
  },
);
