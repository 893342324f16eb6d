/**
 * Liveness and readiness for orchestrators and load balancers, open to all and telling nothing of
 * the configuration: `/healthz` says the process answers, `/readyz` checks Redis, the object store
 * and the catalog, each with its own time limit, and answers 503 when one is down.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { withinTimeLimit } from '../../../workers/index.js';
import { HealthBody, ReadyBody } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** How long each dependency may take to answer a readiness check. */
const CHECK_MS = 2000;

/** 'ok', or 'down' when the check fails or outlasts CHECK_MS. */
function check(probe: () => Promise<unknown>): Promise<'ok' | 'down'> {
  return withinTimeLimit(probe(), CHECK_MS, () => new Error('no answer')).then(
    () => 'ok' as const,
    () => 'down' as const,
  );
}

export function healthRoutes({ services, catalog }: RouteDeps): FastifyPluginAsync {
  const { ctx } = services;
  const readiness = async () => {
    const [redis, objects, catalogState] = await Promise.all([
      check(() => ctx.client.ping()),
      check(() => ctx.store.stat('health/readiness-probe')),
      check(() => catalog.ping()),
    ]);
    const ready = redis === 'ok' && objects === 'ok' && catalogState === 'ok';
    return { status: ready ? ('ready' as const) : ('not-ready' as const), redis, objects, catalog: catalogState };
  };
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/healthz', { schema: { response: { 200: HealthBody } }, config: { public: true } }, async () => ({ status: 'ok' as const }));
    for (const url of ['/readyz', '/api/health']) {
      app.get(url, { schema: { response: { 200: ReadyBody, 503: ReadyBody } }, config: { public: true } }, async (_request, reply) => {
        const state = await readiness();
        return reply.status(state.status === 'ready' ? 200 : 503).send(state);
      });
    }
  };
}
