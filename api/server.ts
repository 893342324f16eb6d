/**
 * HTTP API (Fastify). Every route but /api/health needs a bearer token; every read of a dossier
 * is written to the audit log with the user who made it.
 */
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Services } from './services.js';
import { authorize, TokenRegistry, type Principal, type Role } from './auth.js';
import { DocumentParams, DossierParams, ErrorBody, HealthBody, Paging, ProgressBody, SubmissionBody } from './schemas.js';
import { NotFoundError, SohoaError, UsageError } from '../pipeline/errors.js';
import { submitDocument, type SubmittedFile } from '../workers/submit.js';
import { documentState } from '../workers/progress.js';
import { readManifest } from '../workers/package-job.js';
import { documentPdfKey } from '../storage/layout.js';
import type { DocumentKind } from '../storage/manifest.js';
import { assertValidKey } from '../storage/object-store.js';
import { catalogRoutes } from './routes/catalog-routes.js';

const HTTP_STATUS: Record<string, number> = {
  USAGE: 400,
  CODE_INVALID: 400,
  INPUT_INVALID: 422,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface ApiServer {
  url: string;
  tokenFile: string;
  /** Set when this start created the first (admin) token. */
  adminToken?: string;
  close(): Promise<void>;
}

export function tokenFile(config: Config): string {
  return path.join(config.dataDir, 'api-tokens.json');
}

export async function buildApp(services: Services, tokens: TokenRegistry): Promise<FastifyInstance> {
  const { ctx, catalog } = services;
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(multipart, { limits: { fileSize: 512 << 20, files: 1000 } });

  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof SohoaError) {
      const status = 'status' in err && typeof err.status === 'number' ? err.status : (HTTP_STATUS[err.code] ?? 500);
      return reply.status(status).send({ error: err.code, message: err.message });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) ctx.log.error({ err: (err as Error).message }, 'request failed');
    return reply.status(status).send({ error: (err as { code?: string }).code ?? 'INTERNAL', message: status >= 500 ? 'internal error' : (err as Error).message });
  });

  const guard = (...roles: Role[]) => async (request: FastifyRequest) => {
    request.principal = tokens.authenticate(request.headers.authorization);
    authorize(request.principal, roles);
  };
  const audit = async (request: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => {
    await catalog?.recordAudit(request.principal!.user, action, target, detail);
  };

  app.get('/api/health', { schema: { response: { 200: HealthBody } } }, async () => {
    const redisOk = await ctx.client.ping().then(() => true, () => false);
    return {
      status: redisOk ? ('ok' as const) : ('degraded' as const),
      redis: redisOk ? 'ok' : 'unreachable',
      objects: ctx.store.describe(),
      catalog: catalog ? catalog.describe() : 'not held by this process',
    };
  });

  app.post(
    '/api/dossiers/:code/documents',
    { schema: { params: DossierParams, response: { 202: SubmissionBody, '4xx': ErrorBody } }, preHandler: guard('scanner') },
    async (request, reply) => {
      const files: SubmittedFile[] = [];
      const fields: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'file') files.push({ name: path.basename(part.filename || `file-${files.length + 1}`), bytes: await part.toBuffer() });
        else fields[part.fieldname] = String(part.value);
      }
      const kind = fields.kind ?? 'component';
      if (kind !== 'component' && kind !== 'result') throw new UsageError('kind must be component or result');
      const pdfa = fields.pdfa;
      if (pdfa !== undefined && pdfa !== '2b' && pdfa !== '1b') throw new UsageError('pdfa must be 2b or 1b');
      if (fields.sign !== undefined && fields.sign !== 'true' && fields.sign !== 'false') throw new UsageError('sign must be true or false');
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
    { schema: { params: DocumentParams, response: { 200: ProgressBody } }, preHandler: guard('scanner', 'archivist') },
    async (request) => {
      const { code, number } = request.params;
      const { state, result } = await documentState(ctx, code, number);
      const manifest = await readManifest(ctx.store, code);
      const document = manifest?.documents.find((d) => d.number === number);
      if (state === 'unknown' && !document) throw new NotFoundError(`document ${number} of dossier ${code} is unknown`);
      return {
        fileCode: document?.fileCode ?? `${code}.${String(number).padStart(2, '0')}`,
        state: document ? 'completed' : state,
        pagesDone: result?.pagesDone ?? document?.pages.filter((p) => p.status === 'done').length,
        failures: result?.failures ?? document?.pages.filter((p) => p.status === 'failed').map((p) => ({ file: p.source.fileName, page: p.source.index + 1, reason: p.error ?? '' })),
        pdfUrl: document?.pdfKey ? `/api/dossiers/${code}/documents/${number}/pdf` : undefined,
      };
    },
  );

  app.get('/api/dossiers', { schema: { querystring: Paging }, preHandler: guard('archivist', 'reform') }, async (request) => {
    const { limit, offset } = request.query;
    await audit(request, 'list-dossiers', '*', { limit, offset });
    return catalog!.listDossiers({ limit, offset });
  });

  app.get('/api/dossiers/:code', { schema: { params: DossierParams }, preHandler: guard('archivist') }, async (request) => {
    const dossier = await catalog!.getDossier(request.params.code);
    if (!dossier) throw new NotFoundError(`dossier ${request.params.code} is not in the catalog`);
    await audit(request, 'read-dossier', request.params.code);
    return dossier;
  });

  const sendPdf = async (request: FastifyRequest, reply: import('fastify').FastifyReply, code: string, key: string | undefined, fileName: string) => {
    if (!key) throw new NotFoundError(`${fileName} has not been digitized`);
    const body = await ctx.store.get(assertValidKey(key));
    await audit(request, 'open-pdf', code, { file: fileName });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${fileName}"`).send(body);
  };

  app.get('/api/dossiers/:code/pdf', { schema: { params: DossierParams }, preHandler: guard('archivist') }, async (request, reply) => {
    const manifest = await readManifest(ctx.store, request.params.code);
    return sendPdf(request, reply, request.params.code, manifest?.pdfKey, `${request.params.code}.pdf`);
  });

  app.get('/api/dossiers/:code/documents/:number/pdf', { schema: { params: DocumentParams }, preHandler: guard('archivist') }, async (request, reply) => {
    const { code, number } = request.params;
    const manifest = await readManifest(ctx.store, code);
    const document = manifest?.documents.find((d) => d.number === number);
    const key = document?.pdfKey ?? undefined;
    return sendPdf(request, reply, code, key && key === documentPdfKey(code, number) ? key : undefined, `${document?.fileCode ?? code}.pdf`);
  });

  app.get('/api/audit', { schema: { querystring: Paging }, preHandler: guard('admin') }, async (request) => {
    return catalog!.audit({ limit: request.query.limit, offset: request.query.offset });
  });

  await app.register(catalogRoutes({ services, guard, audit }));
  return app;
}

export async function startApiServer(config: Config, services: Services): Promise<ApiServer> {
  const tokens = TokenRegistry.load(tokenFile(config));
  const adminToken = tokens.size === 0 ? tokens.issue('admin', 'admin') : undefined;
  const app = await buildApp(services, tokens);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { url: `http://${config.host}:${port}`, tokenFile: tokens.file, adminToken, close: () => app.close() };
}
