/**
 * Storing a finished PDF/A: signed first with the agency certificate when the submission asked
 * for it (PDF/A before signature, as Circular 05/2025/TT-BNV requires), its manifest entry
 * recording who signed and when.
 */
import fs from 'node:fs/promises';
import { UnrecoverableError } from 'bullmq';
import { SigningError } from '../../pipeline/errors.js';
import { signPdfA } from '../../pipeline/sign/index.js';
import { type ManifestObject, type ObjectRole, putObject } from '../../storage/objects/index.js';
import type { PipelineContext } from '../context.js';

export async function storePdfA(ctx: PipelineContext, key: string, pdf: Buffer, role: ObjectRole, sign: boolean): Promise<ManifestObject> {
  if (!sign) return { ...(await putObject(ctx.store, key, pdf, 'application/pdf')), role };
  const { pdf: signed, signer, agencyName, signedAt } = await signWithAgencyCertificate(ctx, pdf);
  return { ...(await putObject(ctx.store, key, signed, 'application/pdf')), role, signature: { signer, agencyName, signedAt } };
}

/** A certificate problem will not mend on a retry: the job fails at once with the reason. */
async function signWithAgencyCertificate(ctx: PipelineContext, pdf: Buffer): ReturnType<typeof signPdfA> {
  const certificate = ctx.options.sign;
  try {
    if (!certificate) throw new SigningError('signing was asked for, but this worker has no agency certificate (SOHOA_SIGN_P12)');
    const p12 = await fs.readFile(certificate.p12Path);
    return await signPdfA(pdf, { p12, password: certificate.password, agencyName: certificate.agencyName });
  } catch (err) {
    if (err instanceof SigningError) throw new UnrecoverableError(err.message);
    throw err;
  }
}
