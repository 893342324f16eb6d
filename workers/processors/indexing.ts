/**
 * The index queue: a dossier's manifest into the catalog. Workers never open the catalog; the
 * process that holds it (the API) passes the indexing function in, and is the catalog's only writer.
 */
import type { Job } from 'bullmq';
import type { PipelineContext } from '../context.js';
import { type InstallationJob, jobId, QUEUE } from '../flow.js';
import type { IndexJobData } from '../jobs.js';
import { JOB_OPTIONS } from '../policy.js';

export function indexProcessor(index: (dossierCode: string) => Promise<void>) {
  return (job: Job<IndexJobData>): Promise<void> => index(job.data.dossierCode);
}

/**
 * Queues the dossier's indexing after a change made outside a flow (a withdrawal, a metadata
 * correction), under a job id of its own (`<index job id>.<change>`): the document's flow has an
 * index job of its own, which may still be in Redis.
 */
export async function queueReindex(ctx: PipelineContext, dossierCode: string, documentNumber: number, change: string): Promise<void> {
  const data: IndexJobData & InstallationJob = { dossierCode, installation: ctx.installation };
  await ctx
    .queue(QUEUE.index)
    .add(QUEUE.index, data, { ...JOB_OPTIONS, jobId: `${jobId(QUEUE.index, dossierCode, documentNumber)}.${change}` });
}
