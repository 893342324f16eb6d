/**
 * Prometheus metrics (`GET /metrics`): the process and the queues (workers/metrics.ts) and the
 * latency of each API route. Open like the health checks: no configuration or citizen data in it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Histogram } from 'prom-client';
import { metricsRegistry, watchQueues } from '../../../workers/index.js';
import type { RouteDeps } from './deps.js';

const httpSeconds = new Histogram({
  name: 'sohoa_http_request_seconds',
  help: 'API response time by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export function metricsRoutes({ services }: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    watchQueues(services.ctx);
    app.get('/metrics', { config: { public: true } }, async (_request, reply) =>
      reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics()),
    );
  };
}

/** Records each response's time under its route pattern (not its URL: no dossier code in a label). */
export function observeLatency(app: import('fastify').FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    httpSeconds.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
