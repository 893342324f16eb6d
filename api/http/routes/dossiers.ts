/** Routes of the stations' uploads and of reading dossiers: submit, progress, list, detail, PDF/A. */
import path from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError, NotFoundError, TooLargeError, UsageError } from '../../../pipeline/errors.js';
import { thumbnail } from '../../../pipeline/thumbnail.js';
import {
  assertValidKey,
  type DocumentKind,
  documentFileCode,
  documentPdfKey,
  dossierPdfKey,
  pageKeys,
  readManifest,
} from '../../../storage/objects/index.js';
import { documentProgress, documentState, type SubmittedFile, submitDocument } from '../../../workers/index.js';
import { assertAgencyAccess, callerOf } from '../auth.js';
import { ProgressStreams, STREAMS_PER_CALLER } from '../progress-stream.js';
import {
  DocumentParams,
  DossierDetailBody,
  DossierListBody,
  DossierParams,
  ErrorBody,
  PageParams,
  Paging,
  ProgressBody,
  RecentQuery,
  RecentUploadsBody,
  SubmissionBody,
  ThumbnailQuery,
} from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** The most one upload request may carry, all its files together. */
const UPLOAD_LIMIT = 1 << 30;

export function dossierRoutes({ services, catalog, audit }: RouteDeps): FastifyPluginAsync {
  const { ctx } = services;
  const streams = new ProgressStreams();
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    // Open progress streams would hold the server's shutdown for minutes.
    app.addHook('preClose', async () => streams.endAll());
    app.post(
      '/api/dossiers/:code/documents',
      { schema: { params: DossierParams, response: { 202: SubmissionBody, '4xx': ErrorBody } }, config: { roles: ['station'] } },
      async (request, reply) => {
        assertAgencyAccess(request.principal!, request.params.code);
        const files: SubmittedFile[] = [];
        const fields: Record<string, string> = {};
        let total = 0;
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            total += bytes.length;
            // Counted as the parts arrive: a batch too big is refused before the rest is read.
            if (total > UPLOAD_LIMIT)
              throw new TooLargeError(`an upload may hold at most ${UPLOAD_LIMIT >> 20} MiB; send the dossier in several documents`);
            files.push({ name: path.basename(part.filename || `file-${files.length + 1}`), bytes });
          } else fields[part.fieldname] = String(part.value);
        }
        const principal = request.principal!;
        if (principal.role === 'station' && fields.agency !== undefined && fields.agency !== principal.agency) {
          throw new AccessDeniedError(`station of ${principal.agency} may not file a document under agency ${fields.agency}`);
        }
        const kind = fields.kind ?? 'component';
        if (kind !== 'component' && kind !== 'result') throw new UsageError('kind must be component or result');
        const pdfa = fields.pdfa;
        if (pdfa !== undefined && pdfa !== '2b' && pdfa !== '1b') throw new UsageError('pdfa must be 2b or 1b');
        if (fields.sign !== undefined && fields.sign !== 'true' && fields.sign !== 'false')
          throw new UsageError('sign must be true or false');
        const submission = await submitDocument(ctx, {
          dossierCode: request.params.code,
          agencyCode: fields.agency,
          procedureCode: fields.procedure,
          title: fields.title,
          kind: kind as DocumentKind,
          pdfaPart: pdfa,
          sign: fields.sign === 'true',
          submittedBy: request.principal!.user,
          files,
        });
        return reply.status(202).send({
          dossierCode: submission.dossierCode,
          documentNumber: submission.documentNumber,
          fileCode: submission.fileCode,
          pages: submission.pages.length,
          rejected: submission.rejected.map((r) => ({ file: r.fileName, page: r.page, reason: r.reason })),
          alreadyDigitized: submission.alreadyDigitized,
          progressUrl: `/api/dossiers/${submission.dossierCode}/documents/${submission.documentNumber}/progress`,
        });
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/progress',
      { schema: { params: DocumentParams, response: { 200: ProgressBody } }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        await audit(request, 'read-progress', code, { document: number });
        const { state, result } = await documentState(ctx, code, number);
        const manifest = await readManifest(ctx.store, code);
        const document = manifest?.documents.find((d) => d.number === number);
        if (state === 'unknown' && !document) throw new NotFoundError(`document ${number} of dossier ${code} is unknown`);
        return {
          fileCode: document?.fileCode ?? documentFileCode(code, number),
          state: document ? 'completed' : state,
          pagesDone: result?.pagesDone ?? document?.pages.filter((p) => p.status === 'done').length,
          failures:
            result?.failures ??
            document?.pages
              .filter((p) => p.status === 'failed')
              .map((p) => ({ file: p.source.fileName, page: p.source.index + 1, reason: p.error ?? '' })),
          pdfUrl: document?.pdfKey ? `/api/dossiers/${code}/documents/${number}/pdf` : undefined,
        };
      },
    );

    app.get(
      '/api/dossiers',
      { schema: { querystring: Paging, response: { 200: DossierListBody } }, config: { roles: ['archivist', 'reform'] } },
      async (request) => {
        const { limit, offset } = request.query;
        await audit(request, 'list-dossiers', '*', { limit, offset });
        return catalog.listDossiers({ limit, offset });
      },
    );

    app.get(
      '/api/dossiers/:code',
      { schema: { params: DossierParams, response: { 200: DossierDetailBody } }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        assertAgencyAccess(request.principal!, request.params.code);
        const dossier = await catalog.getDossier(request.params.code);
        if (!dossier) throw new NotFoundError(`dossier ${request.params.code} is not in the catalog`);
        await audit(request, 'read-dossier', request.params.code);
        return dossier;
      },
    );

    const sendPdf = async (request: FastifyRequest, reply: FastifyReply, code: string, key: string | undefined, fileName: string) => {
      assertAgencyAccess(request.principal!, code);
      if (!key) throw new NotFoundError(`${fileName} has not been digitized`);
      const body = await ctx.store.get(assertValidKey(key));
      await audit(request, 'open-pdf', code, { file: fileName });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).send(body);
    };

    app.get(
      '/api/dossiers/:code/pdf',
      { schema: { params: DossierParams }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code } = request.params;
        const key = (await readManifest(ctx.store, code))?.pdfKey;
        return sendPdf(request, reply, code, key === dossierPdfKey(code) ? key : undefined, `${code}.pdf`);
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/pdf',
      { schema: { params: DocumentParams }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number } = request.params;
        const manifest = await readManifest(ctx.store, code);
        const document = manifest?.documents.find((d) => d.number === number);
        const key = document?.pdfKey ?? undefined;
        return sendPdf(
          request,
          reply,
          code,
          key && key === documentPdfKey(code, number) ? key : undefined,
          `${document?.fileCode ?? code}.pdf`,
        );
      },
    );

    app.get(
      '/api/uploads',
      { schema: { querystring: RecentQuery, response: { 200: RecentUploadsBody } }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        const { principal } = request;
        const agency = principal!.role === 'station' ? principal!.agency : null;
        await audit(request, 'list-uploads', agency ?? '*', { limit: request.query.limit });
        return catalog.recentDocuments({ agency, limit: request.query.limit });
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/pages/:page/thumbnail',
      { schema: { params: PageParams, querystring: ThumbnailQuery }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number, page } = request.params;
        assertAgencyAccess(request.principal!, code);
        const keys = pageKeys(code, number, page);
        const image = await ctx.store.get(keys.archival('jpg')).catch(async (err: unknown) => {
          if (!(err instanceof NotFoundError)) throw err;
          return ctx.store.get(keys.archival('png'));
        });
        await audit(request, 'view-page-image', code, { document: number, page });
        return reply
          .type('image/jpeg')
          .header('cache-control', 'private, max-age=300')
          .send(await thumbnail(image, request.query.width));
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/events',
      { schema: { params: DocumentParams }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        const first = await documentProgress(ctx, code, number);
        if (!first) throw new NotFoundError(`document ${number} of dossier ${code} is unknown`);
        const caller = request.principal!.user;
        if (streams.count(caller) >= STREAMS_PER_CALLER) throw new TooLargeError(`at most ${STREAMS_PER_CALLER} progress streams at once`);
        await audit(request, 'watch-document', code, { document: number });
        streams.stream(reply, caller, first, {
          poll: () => documentProgress(ctx, code, number),
          stillAllowed: async () => (await callerOf(request, catalog.accounts)) !== null,
        });
      },
    );
  };
}
