/** Routes of the stations' uploads and of reading dossiers: submit, progress, list, detail, PDF/A. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, TooLargeError } from '../../../pipeline/errors.js';
import { readFieldStates } from '../../../pipeline/metadata/index.js';
import { pageCrop, thumbnail } from '../../../pipeline/thumbnail.js';
import {
  assertValidKey,
  documentFileCode,
  earkPackage,
  earkZip,
  isDocumentPdfKey,
  isDossierPdfKey,
  pageKeys,
  readManifest,
} from '../../../storage/objects/index.js';
import { documentProgress, documentState, failuresOf, PRODUCER, submitDocument } from '../../../workers/index.js';
import { maySign } from '../../settings.js';
import { assertAgencyAccess, callerOf } from '../auth.js';
import { ProgressStreams, STREAMS_PER_CALLER } from '../progress-stream.js';
import {
  CropQuery,
  DocumentParams,
  DossierDetailBody,
  DossierListBody,
  DossierParams,
  ErrorBody,
  ExportQuery,
  PageParams,
  Paging,
  ProgressBody,
  ReadFieldParams,
  ReadFieldsBody,
  RecentQuery,
  RecentUploadsBody,
  SubmissionBody,
  ThumbnailQuery,
} from '../schemas.js';
import { assertStationAgency, idempotencyKey, metadataField, submissionBody, uploadOptions, withUpload } from '../upload.js';
import type { RouteDeps } from './deps.js';

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
        const principal = request.principal!;
        assertAgencyAccess(principal, request.params.code);
        const signing = await maySign(catalog, principal);
        const submission = await withUpload(request, services.config, ({ files, fields }) => {
          assertStationAgency(principal, fields.agency);
          return submitDocument(ctx, {
            dossierCode: request.params.code,
            agencyCode: fields.agency,
            procedureCode: fields.procedure,
            component: fields.component,
            title: fields.title,
            metadata: fields.metadata === undefined ? undefined : metadataField(fields.metadata),
            ...uploadOptions(fields),
            maySign: signing,
            submittedBy: principal.user,
            files,
            idempotencyKey: idempotencyKey(request),
          });
        });
        return reply.status(202).send(submissionBody(submission));
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
          failures: document ? failuresOf(document) : undefined,
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
        await audit(request, 'read-dossier', request.params.code);
        const dossier = await catalog.getDossier(request.params.code);
        if (!dossier) throw new NotFoundError(`dossier ${request.params.code} is not in the catalog`);
        return dossier;
      },
    );

    const sendPdf = async (request: FastifyRequest, reply: FastifyReply, code: string, key: string | undefined, fileName: string) => {
      assertAgencyAccess(request.principal!, code);
      if (!key) throw new NotFoundError(`${fileName} has not been digitized`);
      // No audit row, no read.
      await audit(request, 'open-pdf', code, { file: fileName });
      const body = await ctx.store.get(assertValidKey(key));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).send(body);
    };

    app.get(
      '/api/dossiers/:code/export',
      { schema: { params: DossierParams, querystring: ExportQuery }, config: { roles: ['admin'] } },
      async (request, reply) => {
        const { code } = request.params;
        const manifest = await readManifest(ctx.store, code);
        if (!manifest) throw new NotFoundError(`dossier ${code} is not in the object store`);
        const pkg = await earkPackage(ctx.store, manifest, { producer: PRODUCER });
        await audit(request, 'export-eark', code, { files: pkg.files.length });
        return reply.type('application/zip').header('content-disposition', `attachment; filename="${code}.eark.zip"`).send(earkZip(pkg));
      },
    );

    app.get(
      '/api/dossiers/:code/pdf',
      { schema: { params: DossierParams }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code } = request.params;
        const key = (await readManifest(ctx.store, code))?.pdfKey;
        return sendPdf(request, reply, code, key && isDossierPdfKey(key, code) ? key : undefined, `${code}.pdf`);
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
          key && isDocumentPdfKey(key, code, number) ? key : undefined,
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

    const archivalImage = (code: string, number: number, page: number) => {
      const keys = pageKeys(code, number, page);
      return ctx.store.get(keys.archival('jpg')).catch(async (err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
        return ctx.store.get(keys.archival('png'));
      });
    };
    const sendJpeg = (reply: FastifyReply, jpeg: Buffer) =>
      reply.type('image/jpeg').header('cache-control', 'private, max-age=300').send(jpeg);

    app.get(
      '/api/dossiers/:code/documents/:number/pages/:page/thumbnail',
      { schema: { params: PageParams, querystring: ThumbnailQuery }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number, page } = request.params;
        assertAgencyAccess(request.principal!, code);
        await audit(request, 'view-page-image', code, { document: number, page });
        return sendJpeg(reply, await thumbnail(await archivalImage(code, number, page), request.query.width));
      },
    );

    const readDocument = async (code: string, number: number) => {
      const document = (await readManifest(ctx.store, code))?.documents.find((d) => d.number === number);
      if (!document) throw new NotFoundError(`document ${number} of dossier ${code} is not in the object store`);
      return document;
    };

    // What was read from the document's pages (Decree 30 layout): filled, or for the station to confirm.
    app.get(
      '/api/dossiers/:code/documents/:number/read-fields',
      { schema: { params: DocumentParams, response: { 200: ReadFieldsBody } }, config: { roles: ['station', 'archivist'] } },
      async (request) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        await audit(request, 'read-fields', code, { document: number });
        const document = await readDocument(code, number);
        const fields = document.metadata ? readFieldStates(document.metadata) : [];
        return { fields: fields.map((f) => ({ ...f, cropUrl: `/api/dossiers/${code}/documents/${number}/read-fields/${f.name}/crop` })) };
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/read-fields/:name/crop',
      { schema: { params: ReadFieldParams, querystring: CropQuery }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number, name } = request.params;
        assertAgencyAccess(request.principal!, code);
        const read = (await readDocument(code, number)).metadata?.read?.[name];
        if (!read) throw new NotFoundError(`${name} was not read from document ${number} of dossier ${code}`);
        await audit(request, 'view-page-image', code, { document: number, page: read.page, field: name });
        return sendJpeg(reply, await pageCrop(await archivalImage(code, number, read.page), read.box, request.query.width));
      },
    );

    app.get(
      '/api/dossiers/:code/documents/:number/events',
      { schema: { params: DocumentParams }, config: { roles: ['station', 'archivist'] } },
      async (request, reply) => {
        const { code, number } = request.params;
        assertAgencyAccess(request.principal!, code);
        const caller = request.principal!.user;
        if (streams.count(caller) >= STREAMS_PER_CALLER) throw new TooLargeError(`at most ${STREAMS_PER_CALLER} progress streams at once`);
        await audit(request, 'watch-document', code, { document: number });
        const first = await documentProgress(ctx, code, number);
        if (!first) throw new NotFoundError(`document ${number} of dossier ${code} is unknown`);
        streams.stream(reply, caller, first, {
          poll: () => documentProgress(ctx, code, number),
          stillAllowed: async () => (await callerOf(request, catalog.accounts)) !== null,
        });
      },
    );
  };
}
