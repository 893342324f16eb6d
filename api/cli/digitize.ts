/**
 * `sohoa digitize`: one document of a dossier, or (`--batch`) a scanned stack split by its cover
 * sheets, through the workers; each dossier touched has its PDF/A written to a folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputFileError, PagesFailedError, ServiceUnavailableError, UsageError } from '../../pipeline/errors.js';
import { type ArchivalMetadata, parseArchivalMetadata, readFieldStates } from '../../pipeline/metadata/index.js';
import { belowMinimumDpi, type DocumentKind, inPdf, MIN_DPI, parseDossierCode, readManifest } from '../../storage/objects/index.js';
import {
  type DocumentTarget,
  documentFailures,
  type PageFailure,
  type PipelineContext,
  type Progress,
  type Submission,
  submitBatch,
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

/**
 * Waits for a queued document's package job, then prints the document's line (stdout) and a
 * warning line (stderr) for each page the station should look at again; none for a document
 * digitized before.
 */
export async function waitAndReport(services: Services, submission: Submission): Promise<PageFailure[]> {
  if (submission.alreadyDigitized) {
    console.error(`these files were already digitized as ${submission.fileCode}`);
    return [];
  }
  console.error(`${submission.fileCode}: ${submission.pages.length} page(s) queued`);
  await waitForDocument(services.ctx, submission, {
    waitForIndex: services.catalog !== undefined,
    onProgress: printProgress,
  });
  await reportDocument(services.ctx, submission);
  return documentFailures(services.ctx, submission.dossierCode, submission.documentNumber);
}

/**
 * `<file code> <kind>: N page(s) in the PDF/A[, K blank left out][, L under 200 dpi][, F failed]`, the
 * fields read from the page and those left to confirm, and a warning line per blank or low page.
 */
async function reportDocument(ctx: PipelineContext, submission: Submission): Promise<void> {
  const document = (await readManifest(ctx.store, submission.dossierCode))?.documents.find((d) => d.number === submission.documentNumber);
  if (!document) return;
  const blank = document.pages.filter((p) => p.status === 'done' && p.blank);
  const low = document.pages.filter(belowMinimumDpi);
  const failed = document.pages.filter((p) => p.status === 'failed').length;
  const notes = [
    `${document.pages.filter(inPdf).length} page(s) in the PDF/A`,
    ...(blank.length ? [`${blank.length} blank left out`] : []),
    ...(low.length ? [`${low.length} under ${MIN_DPI} dpi`] : []),
    ...(failed ? [`${failed} failed`] : []),
  ];
  console.log(`${document.fileCode} ${document.kind}: ${notes.join(', ')}`);
  // Names only: the values may name citizens, and the operator has the page in hand.
  const read = document.metadata ? readFieldStates(document.metadata) : [];
  const named = (status: string) => read.filter((f) => f.status === status).map((f) => f.name);
  if (named('filled').length) console.log(`  read from the page: ${named('filled').join(', ')}`);
  if (named('to-confirm').length)
    console.log(`  to confirm (read unsure; \`sohoa metadata ${document.fileCode} <fields.json>\`): ${named('to-confirm').join(', ')}`);
  for (const p of low) {
    const dpi = Math.round(p.resolution?.dpi ?? p.dpi ?? 0);
    const measured = p.resolution?.source === 'text' ? ' (measured from its text: the file does not say)' : '';
    console.error(
      `WARNING ${p.source.fileName} page ${p.source.index + 1}: ${dpi} dpi${measured}, under the ${MIN_DPI} dpi the regulation asks; rescan it`,
    );
  }
  for (const p of blank)
    console.error(`blank: ${p.source.fileName} page ${p.source.index + 1} is kept with the originals, not in the PDF/A`);
}

/**
 * Copies the dossier's whole PDF/A out of the store into `outDir`, recorded first in the audit log
 * under `user` (no audit row, no copy); undefined when it has none.
 */
export async function writeDossierPdf(services: Services, dossierCode: string, outDir: string, user: string): Promise<string | undefined> {
  const { ctx, catalog } = services;
  const manifest = await readManifest(ctx.store, dossierCode);
  if (!manifest?.pdfKey) return undefined;
  const target = path.join(path.resolve(outDir), `${dossierCode}.pdf`);
  if (!catalog) {
    throw new ServiceUnavailableError(
      `the PDF/A is stored, but not copied to ${outDir}: the catalog, whose audit log records every copy, is held by the running server; open the dossier in the app, or stop the server and run \`sohoa digitize\` again`,
    );
  }
  await catalog.recordAudit(user, 'export-pdf', dossierCode, { to: target });
  await fs.mkdir(outDir, { recursive: true });
  const temp = `${target}.${process.pid}.part`;
  await fs.writeFile(temp, await ctx.store.get(manifest.pdfKey));
  await fs.rename(temp, target);
  return target;
}

/** Prints each failed page; throws PagesFailedError (exit code 2) when any page, or a whole document, failed. */
export function reportFailures(failures: PageFailure[], nothingWritten: boolean): void {
  for (const f of failures) {
    const reason = f.reason.startsWith(`${f.file}`) ? f.reason.slice(f.reason.indexOf(':') + 1).trim() : f.reason;
    console.error(`FAILED ${f.file} page ${f.page}: ${reason}`);
  }
  if (nothingWritten) throw new PagesFailedError(failures, 'no page could be digitized: no PDF/A was written');
  if (failures.length) throw new PagesFailedError(failures);
}

/** `--metadata <file.json>`: Circular 05/2025 fields as `{ "dossier": {…}, "document": {…} }`; a bad file is named. */
async function readMetadataFile(file: string): Promise<ArchivalMetadata> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON: ${(err as Error).message}`;
    throw new InputFileError(file, reason);
  }
  return parseArchivalMetadata(parsed, file);
}

export const digitizeCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dossier: { type: 'string' },
      batch: { type: 'boolean', default: false },
      out: { type: 'string' },
      procedure: { type: 'string' },
      component: { type: 'string' },
      metadata: { type: 'string' },
      agency: { type: 'string' },
      kind: { type: 'string', default: 'component' },
      title: { type: 'string' },
      pdfa: { type: 'string' },
      sign: { type: 'boolean', default: false },
    },
  });
  if (!values.dossier && !values.batch)
    throw new UsageError('--dossier <code> is required (or --batch, for a stack split by cover sheets)');
  if (!values.out) throw new UsageError('--out <dir> is required');
  if (values.kind !== 'component' && values.kind !== 'result') throw new UsageError('--kind must be component or result');
  if (values.pdfa !== undefined && values.pdfa !== '2b' && values.pdfa !== '1b') throw new UsageError('--pdfa must be 2b or 1b');
  if (positionals.length === 0) throw new UsageError('name the files or folders to digitize');
  if (values.dossier) parseDossierCode(values.dossier);
  const files = await readFiles(await collectFiles(positionals));
  const target: DocumentTarget | undefined = values.dossier
    ? {
        dossierCode: values.dossier,
        procedureCode: values.procedure,
        component: values.component,
        metadata: values.metadata === undefined ? undefined : await readMetadataFile(values.metadata),
        agencyCode: values.agency,
        kind: values.kind as DocumentKind,
        title: values.title,
        pdfaPart: values.pdfa,
        sign: values.sign,
        // The operator at the machine holds the certificate's file: no one to ask.
        maySign: true,
      }
    : undefined;
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: true });
  try {
    const submissions = values.batch
      ? (
          await submitBatch(services.ctx, {
            files,
            submittedBy: cliUser(),
            fallback: target,
            pdfaPart: values.pdfa,
            sign: values.sign,
            maySign: true,
          })
        ).documents
      : [await submitDocument(services.ctx, { ...target!, submittedBy: cliUser(), files })];
    const failures: PageFailure[] = [];
    for (const submission of submissions) failures.push(...(await waitAndReport(services, submission)));
    let written = 0;
    for (const dossierCode of new Set(submissions.map((s) => s.dossierCode))) {
      const pdf = await writeDossierPdf(services, dossierCode, values.out, cliUser());
      if (pdf) console.log(pdf);
      if (pdf) written++;
    }
    reportFailures(failures, written === 0);
    return 0;
  } finally {
    await services.close();
  }
};
