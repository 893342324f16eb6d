/**
 * `sohoa verify`, `sohoa store orphans` and `sohoa catalog rebuild`: the object store checked and
 * tidied, and the catalog derived from it again.
 */
import { parseArgs } from 'node:util';
import { FixityError, UsageError } from '../../pipeline/errors.js';
import { rebuildCatalog } from '../../storage/catalog/index.js';
import { parseDossierCode, verifyFixity } from '../../storage/objects/index.js';
import { deleteOrphans, findOrphans } from '../../workers/index.js';
import { openServices } from '../services.js';
import type { Command } from './command.js';

export const verifyCommand: Command = async (args, config) => {
  const { values } = parseArgs({ args, options: { dossier: { type: 'string' } } });
  const dossier = values.dossier === undefined ? undefined : parseDossierCode(values.dossier).code;
  const services = await openServices(config, { catalog: 'none', pipelineWorkers: false });
  try {
    const report = await verifyFixity(services.ctx.store, dossier);
    for (const problem of report.problems) console.error(`${problem.kind.toUpperCase()} ${problem.key}: ${problem.detail}`);
    console.log(`${report.dossiers} dossier(s), ${report.objects} object(s) checked, ${report.problems.length} problem(s)`);
    if (report.problems.length) throw new FixityError(`${report.problems.length} object(s) failed the fixity check`);
    return 0;
  } finally {
    await services.close();
  }
};

export const catalogCommand: Command = async (args, config) => {
  if (args[0] !== 'rebuild') throw new UsageError('usage: sohoa catalog rebuild');
  const services = await openServices(config, { catalog: 'required', pipelineWorkers: false });
  try {
    const counts = await rebuildCatalog(services.catalog!, services.ctx.store);
    console.log(`catalog rebuilt from the object store: ${JSON.stringify(counts)}`);
    return 0;
  } finally {
    await services.close();
  }
};

export const storeCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { delete: { type: 'boolean', default: false } } });
  if (positionals.join(' ') !== 'orphans') throw new UsageError('usage: sohoa store orphans [--delete]');
  const services = await openServices(config, { catalog: 'none', pipelineWorkers: false });
  try {
    const orphans = await findOrphans(services.ctx);
    for (const o of orphans) console.log(`${o.key}\t${o.size} bytes\t${o.reason}`);
    const bytes = orphans.reduce((n, o) => n + o.size, 0);
    if (values.delete) await deleteOrphans(services.ctx, orphans);
    console.log(`${orphans.length} orphan object(s), ${bytes} bytes${values.delete ? ', deleted' : ' (--delete removes them)'}`);
    return 0;
  } finally {
    await services.close();
  }
};
