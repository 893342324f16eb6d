/**
 * Putting a document right: its failed pages run again, the whole document withdrawn by an admin,
 * or the archival metadata of the dossier or a document corrected (a new manifest, audited).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { documentFileCode } from '../../../storage/objects/index.js';
import { correctMetadata, redoDocument, withdrawDocument } from '../../../workers/index.js';
import { assertAgencyAccess } from '../auth.js';
import {
  DocumentParams,
  DossierParams,
  ErrorBody,
  MetadataBody,
  MetadataFields,
  SubmissionBody,
  WithdrawalBody,
  WithdrawRequest,
} from '../schemas.js';
import { submissionBody } from '../upload.js';
import type { RouteDeps } from './deps.js';

export function correctionRoutes({ services, audit }: RouteDeps): FastifyPluginAsync {
  const { ctx } = services;
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/api/dossiers/:code/documents/:number/redo',
      { schema: { params: DocumentParams, response: { 202: SubmissionBody, '4xx': ErrorBody } }, config: { roles: ['station'] } },
      async (request, reply) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        const submission = await redoDocument(ctx, code, number, request.principal!.user);
        await audit(request, 'redo-document', code, { document: number, pages: submission.pages.length });
        return reply.status(202).send(submissionBody(submission));
      },
    );

    app.post(
      '/api/dossiers/:code/documents/:number/withdraw',
      {
        schema: { params: DocumentParams, body: WithdrawRequest, response: { 200: WithdrawalBody, '4xx': ErrorBody } },
        config: { roles: ['admin'] },
      },
      async (request) => {
        const { code, number } = request.params;
        const withdrawal = await withdrawDocument(ctx, code, number, { user: request.principal!.user, reason: request.body.reason });
        await audit(request, 'withdraw-document', code, { document: number, reason: withdrawal.reason });
        return { fileCode: documentFileCode(code, number), ...withdrawal };
      },
    );

    const metadataRoute = { response: { 200: MetadataBody, '4xx': ErrorBody }, body: MetadataFields };
    app.patch(
      '/api/dossiers/:code/metadata',
      { schema: { params: DossierParams, ...metadataRoute }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        const { code } = request.params;
        assertAgencyAccess(request.principal!, code);
        const { metadata, changed } = await correctMetadata(ctx, code, { fields: request.body }, request.principal!.user);
        await audit(request, 'correct-metadata', code, { changed });
        return metadata;
      },
    );
    app.patch(
      '/api/dossiers/:code/documents/:number/metadata',
      { schema: { params: DocumentParams, ...metadataRoute }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        const correction = { documentNumber: number, fields: request.body };
        const { metadata, changed } = await correctMetadata(ctx, code, correction, request.principal!.user);
        await audit(request, 'correct-metadata', code, { document: number, changed });
        return metadata;
      },
    );
  };
}
