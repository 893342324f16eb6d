/** `sohoa verify` and `sohoa catalog rebuild`: the object store checked, and the catalog derived from it again. */
import { parseArgs } from 'node:util';
import { FixityError, UsageError } from '../../pipeline/errors.js';
import { rebuildCatalog } from '../../storage/catalog/index.js';
import { parseDossierCode, verifyFixity } from '../../storage/objects/index.js';
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
