/**
 * The HTTP API (Fastify): who may call each route is declared on the route (auth.ts), every read
 * of a dossier is in the audit log under the caller's name, and the routes live in routes/, one
 * plugin per area.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { ServiceUnavailableError, UsageError } from '../../pipeline/errors.js';
import type { Catalog } from '../../storage/catalog/index.js';
import { PRODUCER } from '../../workers/index.js';
import { addUser, newPassword } from '../accounts.js';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { webRoutes } from '../web/index.js';
import { registerAuth } from './auth.js';
import { errorHandler } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { catalogRoutes } from './routes/catalog.js';
import { correctionRoutes } from './routes/corrections.js';
import type { RouteDeps } from './routes/deps.js';
import { dossierRoutes } from './routes/dossiers.js';
import { healthRoutes } from './routes/health.js';
import { intakeRoutes } from './routes/intake.js';
import { metricsRoutes, observeLatency } from './routes/metrics.js';
import { QUEUE_BOARD, queueRoutes } from './routes/queues.js';
import { sessionRoutes } from './routes/session.js';

/** The OpenAPI document's frame; the routes' own schemas fill it (served at /api/docs and /api/docs/json). */
const OPENAPI: FastifyDynamicSwaggerOptions['openapi'] = {
  info: {
    title: 'Sohoa API',
    version: PRODUCER.replace(/^Sohoa /, ''),
    description: 'Digitized one-stop-shop dossiers: upload, search, coverage.',
  },
  components: {
    securitySchemes: {
      token: { type: 'http', scheme: 'bearer', description: 'A machine token (sohoa token issue, POST /api/tokens)' },
      session: { type: 'apiKey', in: 'cookie', name: 'sohoa_session', description: 'A signed-in person (POST /api/session)' },
    },
  },
  security: [{ token: [] }, { session: [] }],
};

export interface ApiServer {
  url: string;
  /** Set when this start created the first admin: its name, and the file holding its password. */
  firstAdmin?: { name: string; passwordFile: string };
  close(): Promise<void>;
}

function catalogOf(services: Services): Catalog {
  if (!services.catalog) throw new ServiceUnavailableError('the HTTP API needs the catalog, and this process does not hold it');
  return services.catalog;
}

const REQUEST_TIMEOUT_MS = 30 * 60_000;

export async function buildApp(services: Services): Promise<FastifyInstance> {
  const { ctx } = services;
  const catalog = catalogOf(services);
  const hops = services.config.trustProxy;
  // The nearest `hops` proxies are believed about the client's address, no further one.
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    // A whole request, upload included, within 30 min (a 1 GiB upload at 5 Mbit/s); a client
    // that stops sending is cut off then, not held for ever. Headers within Node's 60 s.
    requestTimeout: REQUEST_TIMEOUT_MS,
    trustProxy: (_address: string, hop: number) => hop < hops,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(errorHandler(ctx.log));
  const { fileBytes, files } = services.config.uploadLimits;
  await app.register(multipart, { limits: { fileSize: fileBytes, files, fields: 20, fieldSize: 1 << 16, parts: files + 20 } });
  const sessionSecret = await catalog.accounts.settingOnce('session-secret', randomBytes(32).toString('base64url'), 'sohoa');
  await registerAuth(app, {
    accounts: catalog.accounts,
    sessionSecret,
    redis: ctx.client,
    redisPrefix: ctx.options.queuePrefix,
    https: services.config.https,
    recordRefusedToken: async (request) => {
      // Who sent it is unknown: the address and what it tried are what the log can say.
      await catalog.recordAudit('(refused token)', 'token-refused', request.routeOptions.url ?? '?', {
        ip: request.ip,
        method: request.method,
      });
    },
    pluginRoutes: [
      { prefix: '/api/docs', roles: null },
      { prefix: QUEUE_BOARD, roles: ['admin'], csrf: false },
    ],
  });
  observeLatency(app);
  await app.register(swagger, { openapi: OPENAPI });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const audit = async (request: FastifyRequest, action: string, target: string, detail?: Record<string, unknown>) => {
    await catalog.recordAudit(request.principal!.user, action, target, detail);
  };
  const deps: RouteDeps = { services, catalog, audit };
  await app.register(healthRoutes(deps));
  await app.register(metricsRoutes(deps));
  await app.register(sessionRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(dossierRoutes(deps));
  await app.register(intakeRoutes(deps));
  await app.register(correctionRoutes(deps));
  await app.register(catalogRoutes(deps));
  await app.register(queueRoutes(deps));
  await app.register(webRoutes());
  return app;
}

/** The first start of an installation has no user: it makes an admin, whose password is shown once. */
/**
 * The first start of an installation has no user: it makes an admin, whose password goes to a file
 * only its owner may read (never to the terminal, whose output ends up in system logs). Another API
 * process starting at the same moment finds the admin made, and goes on.
 */
async function ensureFirstAdmin(catalog: Catalog, dataDir: string): Promise<ApiServer['firstAdmin']> {
  if ((await catalog.accounts.userCount()) > 0) return undefined;
  const password = newPassword();
  try {
    await addUser(catalog.accounts, { name: 'admin', displayName: 'Quản trị viên', role: 'admin', password });
  } catch (err) {
    if (err instanceof UsageError) return undefined;
    throw err;
  }
  await catalog.recordAudit('sohoa', 'add-user', 'admin', { role: 'admin', reason: 'first start' });
  const passwordFile = path.join(dataDir, 'first-admin-password.txt');
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return { name: 'admin', passwordFile };
}

export async function startApiServer(config: Config, services: Services): Promise<ApiServer> {
  const firstAdmin = await ensureFirstAdmin(catalogOf(services), config.dataDir);
  const app = await buildApp(services);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { url: `http://${config.host}:${port}`, firstAdmin, close: () => app.close() };
}
