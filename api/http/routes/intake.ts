/** A station's stacks: cover sheets to print, and uploads of several documents split by them. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { makeCoverSheetPdf } from '../../../pipeline/coversheet/index.js';
import { assertProcedureCode, parseDossierCode } from '../../../storage/objects/index.js';
import { submitBatch } from '../../../workers/index.js';
import { maySign } from '../../settings.js';
import { assertAgencyAccess } from '../auth.js';
import { BatchBody, CoverSheetQuery, DossierParams, ErrorBody } from '../schemas.js';
import { assertStationAgency, idempotencyKey, submissionBody, uploadOptions, withUpload } from '../upload.js';
import type { RouteDeps } from './deps.js';

export function intakeRoutes({ services, catalog, audit }: RouteDeps): FastifyPluginAsync {
  const { ctx } = services;
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/api/dossiers/:code/coversheet',
      { schema: { params: DossierParams, querystring: CoverSheetQuery }, config: { roles: ['station'] } },
      async (request, reply) => {
        const { code: dossierCode } = parseDossierCode(request.params.code);
        assertAgencyAccess(request.principal!, dossierCode);
        const kind = request.query.kind ?? 'component';
        const procedureCode = request.query.procedure ? assertProcedureCode(request.query.procedure) : undefined;
        const pdf = await makeCoverSheetPdf({ dossierCode, kind, procedureCode });
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="to-bia-${dossierCode}-${kind}.pdf"`)
          .send(pdf);
      },
    );

    app.post(
      '/api/batches',
      { schema: { response: { 202: BatchBody, '4xx': ErrorBody } }, config: { roles: ['station'] } },
      async (request, reply) => {
        const principal = request.principal!;
        const signing = await maySign(catalog, principal);
        const batch = await withUpload(request, services.config, ({ files, fields }) => {
          assertStationAgency(principal, fields.agency);
          const { kind, pdfaPart, sign } = uploadOptions(fields);
          return submitBatch(ctx, {
            files,
            submittedBy: principal.user,
            fallback: fields.dossier
              ? { dossierCode: fields.dossier, kind, procedureCode: fields.procedure, agencyCode: fields.agency, title: fields.title }
              : undefined,
            pdfaPart,
            sign,
            maySign: signing,
            idempotencyKey: idempotencyKey(request),
            mayFile: (dossierCode) => assertAgencyAccess(principal, dossierCode),
          });
        });
        await audit(request, 'submit-batch', batch.batchId, { documents: batch.documents.map((d) => d.fileCode) });
        return reply.status(202).send({ ...batch, documents: batch.documents.map(submissionBody) });
      },
    );
  };
}
