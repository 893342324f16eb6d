/**
 * The flow of one document through the queues — the one file that shows the stage order.
 *
 *   cleanup[page] ─▶ ocr[page] ─▶ package ─▶ index
 *
 * | queue   | job id                      | reads from the store                        | writes to the store                       |
 * |---------|-----------------------------|---------------------------------------------|-------------------------------------------|
 * | cleanup | cleanup.<dossier>.<nn>.p<n> | the page's original file                    | archival.jpg (or .png), ocr.png           |
 * | ocr     | ocr.<dossier>.<nn>.p<n>     | ocr.png                                     | ocr.json                                  |
 * | package | package.<dossier>.<nn>      | each done page's archival image, ocr.json;  | <dossier>.<nn>.pdf, <dossier>.pdf, then,  |
 * |         |                             | the manifest                                | last, manifest.json                       |
 * | index   | index.<dossier>.<nn>        | the manifest, each done page's ocr.json     | nothing: it writes the catalog            |
 *
 * (A page's objects are under `dossiers/<dossier>/documents/<nn>/pages/<NNNN>/`, originals under
 * `…/documents/<nn>/originals/`, PDFs and the manifest under `dossiers/<dossier>/`:
 * storage/objects/layout.ts has the keys.) BullMQ runs a parent once its
 * children have ended, so the flow is a tree with `index` at its root and one ocr ← cleanup chain
 * per page at its leaves. A page that fails for good does not stop the others: its failure is
 * ignored by its parent and reaches the package job, which records it in the manifest.
 *
 * Job ids are derived from what the job is, so adding the same page twice — a retried upload, a
 * resubmitted batch — never creates a second job, and a stage's outputs go to fixed keys, so a
 * crashed worker's job is retried (policy.ts) and overwrites, never duplicates.
 */
import type { FlowJob } from 'bullmq';
import type { PackageJobData, PageRef } from './jobs.js';
import { JOB_OPTIONS } from './policy.js';

/** The queues, in the order a page goes through them. */
export const QUEUE = {
  cleanup: 'cleanup',
  ocr: 'ocr',
  package: 'package',
  index: 'index',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export function jobId(queue: QueueName, dossierCode: string, documentNumber: number, page?: number): string {
  const doc = String(documentNumber).padStart(2, '0');
  return page === undefined ? `${queue}.${dossierCode}.${doc}` : `${queue}.${dossierCode}.${doc}.p${page}`;
}

/** The page number of a job key (`<prefix>:<queue>:<job id>`), for a parent reading its children. */
export function pageOfJobKey(key: string): number | undefined {
  const m = /\.p(\d+)$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/** Every job says which installation's store it works on (storage/objects/installation.ts). */
export interface InstallationJob {
  installation: string;
}

/** The job tree of one document: its package job, under the index job, over each page's ocr ← cleanup. */
export function documentFlow(data: PackageJobData, pages: PageRef[], where: { prefix: string; installation: string }): FlowJob {
  const { dossierCode, documentNumber } = data;
  const { prefix, installation } = where;
  const job = (queue: QueueName, jobData: object, page?: number, children?: FlowJob[]): FlowJob => ({
    name: queue,
    queueName: queue,
    data: { ...jobData, installation } satisfies InstallationJob,
    prefix,
    opts: { ...JOB_OPTIONS, jobId: jobId(queue, dossierCode, documentNumber, page), ...FAILURE_POLICY[queue] },
    ...(children ? { children } : {}),
  });
  const pageChain = (ref: PageRef) => job(QUEUE.ocr, ref, ref.page, [job(QUEUE.cleanup, ref, ref.page)]);
  return job(QUEUE.index, { dossierCode }, undefined, [job(QUEUE.package, data, undefined, pages.map(pageChain))]);
}

/**
 * What a job's failure does to its parent: a failed page is only recorded (the document is
 * packaged without it), a failed package fails the index job above it.
 */
const FAILURE_POLICY: Record<QueueName, { ignoreDependencyOnFailure?: true; failParentOnFailure?: true }> = {
  cleanup: { ignoreDependencyOnFailure: true },
  ocr: { ignoreDependencyOnFailure: true },
  package: { failParentOnFailure: true },
  index: {},
};
