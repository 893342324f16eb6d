/**
 * The API app on real services for app.inject: a test environment (own Redis prefix, temporary object
 * store), a catalog on the given backend, and the Fastify app over them. `close` undoes all of it.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/http/index.js';
import type { Catalog } from '../../storage/catalog/index.js';
import { openPipelineContext, type PipelineContext } from '../../workers/index.js';
import { type CatalogBackend, openCatalog } from './catalog-fixtures.js';
import { type TestEnvironment, testEnvironment } from './env.js';

export interface TestApi {
  env: TestEnvironment;
  ctx: PipelineContext;
  catalog: Catalog;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function openTestApi(label: string, backend: CatalogBackend): Promise<TestApi> {
  const env = await testEnvironment(label);
  const ctx = await openPipelineContext(env.config);
  const { catalog } = await openCatalog(backend);
  const app = await buildApp({ config: env.config, ctx, catalog, close: async () => {} });
  return {
    env,
    ctx,
    catalog,
    app,
    async close() {
      await app.close();
      await catalog.close();
      await ctx.close();
      await env.cleanup();
    },
  };
}
