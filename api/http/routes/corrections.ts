/** Putting a document right: its failed pages run again, or the whole document withdrawn by an admin. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { documentFileCode } from '../../../storage/objects/index.js';
import { redoDocument, withdrawDocument } from '../../../workers/index.js';
import { assertAgencyAccess } from '../auth.js';
import { DocumentParams, ErrorBody, SubmissionBody, WithdrawalBody, WithdrawRequest } from '../schemas.js';
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
  };
}
