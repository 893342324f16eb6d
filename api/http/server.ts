/**
 * HTTP API (Fastify). Every route but /api/health needs a bearer token; every read of a dossier
 * is written to the audit log with the user who made it. Routes live in routes/, one plugin each.
 */
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { authorize, type Principal, type Role, TokenRegistry } from './auth.js';
import { errorHandler } from './errors.js';
import { catalogRoutes } from './routes/catalog.js';
import type { RouteDeps } from './routes/deps.js';
import { dossierRoutes } from './routes/dossiers.js';
import { HealthBody, Paging } from './schemas.js';

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

  app.setErrorHandler(errorHandler(ctx.log));

  const guard =
    (...roles: Role[]) =>
    async (request: FastifyRequest) => {
      request.principal = tokens.authenticate(request.headers.authorization);
      authorize(request.principal, roles);
    };
  const audit = async (request: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => {
    await catalog?.recordAudit(request.principal!.user, action, target, detail);
  };

  app.get('/api/health', { schema: { response: { 200: HealthBody } } }, async () => {
    const redisOk = await ctx.client.ping().then(
      () => true,
      () => false,
    );
    return {
      status: redisOk ? ('ok' as const) : ('degraded' as const),
      redis: redisOk ? 'ok' : 'unreachable',
      objects: ctx.store.describe(),
      catalog: catalog ? catalog.describe() : 'not held by this process',
    };
  });

  app.get('/api/audit', { schema: { querystring: Paging }, preHandler: guard('admin') }, async (request) => {
    return catalog!.audit({ limit: request.query.limit, offset: request.query.offset });
  });

  const deps: RouteDeps = { services, guard, audit };
  await app.register(dossierRoutes(deps));
  await app.register(catalogRoutes(deps));
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
