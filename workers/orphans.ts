/**
 * Objects under a dossier that its manifest does not name and that no work in progress will name:
 * a PDF written by a package job that died before its manifest write (or whose superseded file
 * was not yet deleted), the originals and page objects of a submission whose flow was lost (a
 * crash between storing them and queueing it, a packaging that failed for good), a page's
 * objects from a reading that was not kept. `sohoa store orphans` lists them; `--delete` removes
 * them. Work in progress is asked of Redis: a document whose package job is still queued or
 * running, or whose upload holds a number, keeps its objects; so does the dossier whose lease is held.
 */
import { documentOfKey, dossierPrefix, manifestKey, readManifest, submissionRecordKey } from '../storage/objects/index.js';
import { dossierLockKey, type PipelineContext, reservation, submissionsKey } from './context.js';
import { jobId, QUEUE } from './flow.js';

export interface Orphan {
  key: string;
  size: number;
  reason: string;
}

const OVER = new Set(['completed', 'failed']);

export async function findOrphans(ctx: PipelineContext): Promise<Orphan[]> {
  const orphans: Orphan[] = [];
  for (const dossierCode of await dossierCodes(ctx)) orphans.push(...(await orphansOf(ctx, dossierCode)));
  return orphans;
}

/** Every dossier with an object in the store, with a manifest or not. */
async function dossierCodes(ctx: PipelineContext): Promise<string[]> {
  const codes = new Set<string>();
  for await (const { key } of ctx.store.list('dossiers/')) {
    const code = /^dossiers\/([^/]+)\//.exec(key)?.[1];
    if (code) codes.add(code);
  }
  return [...codes];
}

async function orphansOf(ctx: PipelineContext, dossierCode: string): Promise<Orphan[]> {
  const manifest = await readManifest(ctx.store, dossierCode);
  const listed = new Set([manifestKey(dossierCode), ...(manifest?.objects.map((o) => o.key) ?? [])]);
  const documents = new Set(manifest?.documents.map((d) => d.number));
  const reservations = Object.values(await ctx.client.hgetall(submissionsKey(ctx, dossierCode)));
  const reserved = new Set(reservations.map((v) => reservation.parse(v).number));
  const busy = new Map<number, boolean>();
  const inProgress = async (n: number) => {
    if (!busy.has(n)) {
      const job = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, n));
      busy.set(n, reserved.has(n) || (job !== undefined && !OVER.has(await job.getState())));
    }
    return busy.get(n)!;
  };
  const leaseHeld = (await ctx.client.exists(dossierLockKey(ctx, dossierCode))) === 1;
  const reasonToDelete = async (key: string): Promise<string | undefined> => {
    if (listed.has(key)) return undefined;
    const number = documentOfKey(key) ?? pdfDocumentNumber(dossierCode, key);
    // The dossier's own PDF/A, written under its lease.
    if (number === undefined) return leaseHeld ? undefined : 'a dossier PDF/A the manifest does not name';
    if (await inProgress(number)) return undefined;
    if (!documents.has(number)) return `document ${number} is in no manifest and in no queue: its submission was interrupted`;
    return key === submissionRecordKey(dossierCode, number)
      ? undefined
      : `an object of document ${number} its manifest entry does not name`;
  };
  const orphans: Orphan[] = [];
  for await (const { key, size } of ctx.store.list(dossierPrefix(dossierCode))) {
    const reason = await reasonToDelete(key);
    if (reason) orphans.push({ key, size, reason });
  }
  return orphans;
}

/** `dossiers/<code>/<code>.<nn>.<hash>.pdf` → nn. */
function pdfDocumentNumber(dossierCode: string, key: string): number | undefined {
  const name = key.slice(dossierPrefix(dossierCode).length);
  const m = name.startsWith(`${dossierCode}.`) ? /^(\d{2,4})\.(?:[0-9a-f]{16}\.)?pdf$/.exec(name.slice(dossierCode.length + 1)) : null;
  return m ? Number(m[1]) : undefined;
}

export async function deleteOrphans(ctx: PipelineContext, orphans: Orphan[]): Promise<void> {
  for (const orphan of orphans) await ctx.store.delete(orphan.key);
}
