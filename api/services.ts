/**
 * Assembling a process from its parts: every command (start, api, worker, digitize) opens the
 * services it needs through here, and closes them in reverse order.
 */
import { Catalog, indexDossierFromStore, isCatalogLocked } from '../storage/catalog/index.js';
import {
  createLogger,
  openPipelineContext,
  type PipelineContext,
  startIndexWorker,
  startPipelineWorkers,
  type WorkerGroup,
} from '../workers/index.js';
import type { Config } from './config.js';
import { warnWithoutMallocArenaMax } from './malloc-arenas.js';

export interface Services {
  config: Config;
  ctx: PipelineContext;
  /** Open when this process holds the catalog (and so runs the indexer). */
  catalog?: Catalog;
  close(): Promise<void>;
}

export interface ServiceNeeds {
  /** required: fail if the catalog cannot be opened; if-free: open it unless another process holds it. */
  catalog: 'required' | 'if-free' | 'none';
  pipelineWorkers: boolean;
}

export async function openServices(config: Config, needs: ServiceNeeds): Promise<Services> {
  const log = createLogger(config.logLevel, config.logFile);
  const ctx = await openPipelineContext(config, log);
  const groups: WorkerGroup[] = [];
  let catalog: Catalog | undefined;
  try {
    const lockedBy = config.databaseUrl ? null : isCatalogLocked(config.dataDir);
    if (needs.catalog === 'required' || (needs.catalog === 'if-free' && lockedBy === null)) {
      catalog = await Catalog.open(config);
      const opened = catalog;
      groups.push(startIndexWorker(ctx, (code) => indexDossierFromStore(opened, ctx.store, code).then(() => undefined)));
    }
    if (needs.pipelineWorkers) {
      warnWithoutMallocArenaMax();
      groups.push(startPipelineWorkers(ctx));
    }
  } catch (err) {
    await Promise.all(groups.map((g) => g.close()));
    await catalog?.close();
    await ctx.close();
    throw err;
  }
  return {
    config,
    ctx,
    catalog,
    async close() {
      await Promise.all(groups.map((g) => g.close()));
      await catalog?.close();
      await ctx.close();
    },
  };
}
