/** `sohoa coversheet`, `sohoa redo`, `sohoa withdraw` and `sohoa metadata`: a station's sheets, and a document put right. */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { makeCoverSheetPdf } from '../../pipeline/coversheet/index.js';
import { InputFileError, UsageError } from '../../pipeline/errors.js';
import { assertProcedureCode, parseDossierCode } from '../../storage/objects/index.js';
import { correctMetadata, redoDocument, withdrawDocument } from '../../workers/index.js';
import { openServices } from '../services.js';
import type { Command } from './command.js';
import { reportFailures, waitAndReport, writeDossierPdf } from './digitize.js';
import { cliUser } from './user.js';

export const coversheetCommand: Command = async (args) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { kind: { type: 'string', default: 'component' }, procedure: { type: 'string' }, out: { type: 'string' } },
  });
  const [code] = positionals;
  if (!code || positionals.length > 1) throw new UsageError('name one dossier code: sohoa coversheet <dossier code>');
  if (values.kind !== 'component' && values.kind !== 'result') throw new UsageError('--kind must be component or result');
  const { code: dossierCode } = parseDossierCode(code);
  const procedureCode = values.procedure === undefined ? undefined : assertProcedureCode(values.procedure);
  const out = values.out ?? `to-bia-${dossierCode}-${values.kind}.pdf`;
  await fs.writeFile(out, await makeCoverSheetPdf({ dossierCode, kind: values.kind, procedureCode }));
  console.log(out);
  return 0;
};

/** `<dossier code>.<nn>` → its dossier code and document number. */
export function parseFileCode(fileCode: string | undefined): { dossierCode: string; documentNumber: number } {
  const m = fileCode ? /^(.+)\.(\d{2,})$/.exec(fileCode) : null;
  if (!m) throw new UsageError(`name a document as <dossier code>.<nn>, e.g. 000.00.15.H17-231114-0001.01`);
  return { dossierCode: parseDossierCode(m[1]!).code, documentNumber: Number(m[2]) };
}

export const redoCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  const { dossierCode, documentNumber } = parseFileCode(positionals[0]);
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: true });
  try {
    const submission = await redoDocument(services.ctx, dossierCode, documentNumber, cliUser());
    const failures = await waitAndReport(services, submission);
    const written = values.out ? await writeDossierPdf(services, dossierCode, values.out, cliUser()) : undefined;
    if (written) console.log(written);
    reportFailures(failures, false);
    return 0;
  } finally {
    await services.close();
  }
};

export const withdrawCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { reason: { type: 'string' } } });
  const { dossierCode, documentNumber } = parseFileCode(positionals[0]);
  if (!values.reason?.trim()) throw new UsageError('--reason "<why>" is required: it stays in the manifest');
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: false });
  try {
    const withdrawal = await withdrawDocument(services.ctx, dossierCode, documentNumber, { user: cliUser(), reason: values.reason });
    console.log(`${positionals[0]} withdrawn by ${withdrawal.by} at ${withdrawal.at}`);
    return 0;
  } finally {
    await services.close();
  }
};

/** `sohoa metadata <dossier code>[.<nn>] <fields.json>`: correct the dossier's, or a document's, Circular 05/2025 fields. */
export const metadataCommand: Command = async (args, config) => {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [target, file] = positionals;
  if (!target || !file || positionals.length > 2)
    throw new UsageError('usage: sohoa metadata <dossier code>[.<nn>] <fields.json> (a field set to null is taken away)');
  const { dossierCode, documentNumber } = /^(.+)\.(\d{2,})$/.test(target)
    ? parseFileCode(target)
    : { dossierCode: parseDossierCode(target).code, documentNumber: undefined };
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new InputFileError(
      file,
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON: ${(err as Error).message}`,
    );
  }
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: false });
  try {
    const { changed } = await correctMetadata(services.ctx, dossierCode, { documentNumber, fields }, cliUser());
    console.log(changed.length ? `${target}: ${changed.join(', ')} changed` : `${target}: nothing changed`);
    return 0;
  } finally {
    await services.close();
  }
};
