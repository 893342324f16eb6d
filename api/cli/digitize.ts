/** `sohoa digitize`: one document of a dossier through the workers, its PDF/A written to a folder. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PagesFailedError, UsageError } from '../../pipeline/errors.js';
import { type DocumentKind, parseDossierCode, readManifest } from '../../storage/objects/index.js';
import {
  type PackageJobResult,
  type PipelineContext,
  type Progress,
  type SubmitRequest,
  submitDocument,
  waitForDocument,
} from '../../workers/index.js';
import { openServices, type Services } from '../services.js';
import type { Command } from './command.js';
import { collectFiles, readFiles } from './inputs.js';
import { cliUser } from './user.js';

function printProgress(p: Progress): void {
  const line =
    p.stage === 'pages'
      ? `pages ${p.pagesFinished}/${p.pagesTotal}`
      : p.stage === 'package'
        ? 'building PDF/A'
        : p.stage === 'index'
          ? 'indexing'
          : 'done';
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  if (process.stderr.isTTY && p.stage === 'done') process.stderr.write('\n');
}

/** Submits and waits for the document's package job; returns its result (none when the files were digitized before). */
export async function digitizeAndWait(services: Services, request: SubmitRequest): Promise<PackageJobResult | undefined> {
  const submission = await submitDocument(services.ctx, request);
  if (submission.alreadyDigitized) {
    console.error(`these files were already digitized as ${submission.fileCode}`);
    return undefined;
  }
  console.error(`${submission.fileCode}: ${submission.pages.length} page(s) queued`);
  return waitForDocument(services.ctx, submission, { waitForIndex: services.catalog !== undefined, onProgress: printProgress });
}

/** Copies the dossier's whole PDF/A out of the store into `outDir`; undefined when it has none. */
export async function writeDossierPdf(ctx: PipelineContext, dossierCode: string, outDir: string): Promise<string | undefined> {
  const manifest = await readManifest(ctx.store, dossierCode);
  if (!manifest?.pdfKey) return undefined;
  await fs.mkdir(outDir, { recursive: true });
  const target = path.join(outDir, `${dossierCode}.pdf`);
  const temp = `${target}.${process.pid}.part`;
  await fs.writeFile(temp, await ctx.store.get(manifest.pdfKey));
  await fs.rename(temp, target);
  return target;
}

export const digitizeCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dossier: { type: 'string' },
      out: { type: 'string' },
      procedure: { type: 'string' },
      agency: { type: 'string' },
      kind: { type: 'string', default: 'component' },
      title: { type: 'string' },
      pdfa: { type: 'string' },
      sign: { type: 'boolean', default: false },
    },
  });
  if (!values.dossier) throw new UsageError('--dossier <code> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  if (values.kind !== 'component' && values.kind !== 'result') throw new UsageError('--kind must be component or result');
  if (values.pdfa !== undefined && values.pdfa !== '2b' && values.pdfa !== '1b') throw new UsageError('--pdfa must be 2b or 1b');
  if (positionals.length === 0) throw new UsageError('name the files or folders to digitize');
  parseDossierCode(values.dossier);
  const files = await readFiles(await collectFiles(positionals));
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: true });
  try {
    const result = await digitizeAndWait(services, {
      dossierCode: values.dossier,
      procedureCode: values.procedure,
      agencyCode: values.agency,
      kind: values.kind as DocumentKind,
      pdfaPart: values.pdfa,
      sign: values.sign,
      title: values.title,
      submittedBy: cliUser(),
      files,
    });
    const written = await writeDossierPdf(services.ctx, values.dossier, values.out);
    if (written) console.log(written);
    const failures = result?.failures ?? [];
    for (const f of failures) {
      const reason = f.reason.startsWith(`${f.file}`) ? f.reason.slice(f.reason.indexOf(':') + 1).trim() : f.reason;
      console.error(`FAILED ${f.file} page ${f.page}: ${reason}`);
    }
    if (!written) throw new PagesFailedError(failures, 'no page could be digitized: no PDF/A was written');
    if (failures.length) throw new PagesFailedError(failures);
    return 0;
  } finally {
    await services.close();
  }
};
