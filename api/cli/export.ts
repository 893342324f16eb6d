/** `sohoa export <dossier code> --format eark --out <dir>`: the dossier as an E-ARK SIP folder. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NotFoundError, ServiceUnavailableError, UsageError } from '../../pipeline/errors.js';
import { earkPackage, parseDossierCode, readManifest, writeEarkFolder } from '../../storage/objects/index.js';
import { PRODUCER } from '../../workers/index.js';
import { openServices } from '../services.js';
import type { Command } from './command.js';
import { cliUser } from './user.js';

export const exportCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'eark' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1 || !values.out) throw new UsageError('usage: sohoa export <dossier code> --format eark --out <dir>');
  if (values.format !== 'eark') throw new UsageError('--format must be eark (an E-ARK CSIP/SIP package)');
  const { code } = parseDossierCode(positionals[0]!);
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: false });
  try {
    const manifest = await readManifest(services.ctx.store, code);
    if (!manifest) throw new NotFoundError(`dossier ${code} is not in the object store`);
    // A package holds the citizens' files: written only once the audit log has who took it.
    if (!services.catalog)
      throw new ServiceUnavailableError(
        'the catalog, whose audit log records every export, is held by the running server: use its export route',
      );
    const out = path.resolve(values.out);
    await services.catalog.recordAudit(cliUser(), 'export-eark', code, { to: out });
    const written = await writeEarkFolder(await earkPackage(services.ctx.store, manifest, { producer: PRODUCER }), out);
    console.log(`${written.root}: ${written.files} files, ${written.bytes} bytes`);
    return 0;
  } finally {
    await services.close();
  }
};
