/**
 * The index queue: a dossier's manifest into the catalog. Workers never open the catalog; the
 * process that holds it (the API) passes the indexing function in, and is the catalog's only writer.
 */
import type { Job } from 'bullmq';
import type { IndexJobData } from '../jobs.js';

export function indexProcessor(index: (dossierCode: string) => Promise<void>) {
  return (job: Job<IndexJobData>): Promise<void> => index(job.data.dossierCode);
}
