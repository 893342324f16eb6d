/** `sohoa start`, `sohoa api` and `sohoa worker`: long-running processes, stopped by SIGINT or SIGTERM. */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../../pipeline/errors.js';
import { metricsRegistry, submitDocument, watchQueues } from '../../workers/index.js';
import { startHotFolder } from '../hot-folder/index.js';
import { startApiServer } from '../http/index.js';
import { openServices, type ServiceNeeds, type Services } from '../services.js';
import type { Command } from './command.js';
import { waitAndReport, writeDossierPdf } from './digitize.js';
import { collectFiles, readFiles } from './inputs.js';

const SAMPLE_DIR = fileURLToPath(new URL('../../samples/000.00.15.H17-231114-0001/', import.meta.url));
const SAMPLE_DOSSIER = '000.00.15.H17-231114-0001';

const UNAUTHENTICATED_REDIS =
  'WARNING redis takes commands without a password: whoever reaches it can read and change the queues. ' +
  'Give it one (requirepass) and put it in REDIS_URL=redis://:<password>@host:6379, or unset REDIS_URL and stop it to use the embedded one.';

/** Runs until a signal, then closes what it opened. */
export function runUntilStopped(close: () => Promise<void>): Promise<number> {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

export function serveCommand(needs: ServiceNeeds): Command {
  return async (args, config) => {
    const { values } = parseArgs({ args, options: { sample: { type: 'boolean', default: false } } });
    const services = await openServices(config, needs);
    const server = await startApiServer(config, services);
    const { ctx, catalog } = services;
    console.log(`Sohoa API listening on ${server.url}`);
    console.log(`  redis:   ${ctx.redis.location} (${ctx.redis.origin})`);
    if (ctx.redis.unauthenticated) console.warn(UNAUTHENTICATED_REDIS);
    console.log(`  objects: ${ctx.store.describe()}`);
    console.log(`  catalog: ${catalog?.describe() ?? 'not held by this process'}`);
    // SOHOA_WATCH_DIR: the hot folder, watched by the process that runs the workers.
    const hotFolder = config.watchDir && needs.pipelineWorkers ? await startHotFolder(ctx, config.watchDir) : undefined;
    if (hotFolder) console.log(`  watching: ${hotFolder.dir} (done/ and failed/ inside it)`);
    else if (config.watchDir) console.log(`  SOHOA_WATCH_DIR is watched by \`sohoa start\` or \`sohoa watch\`, not by this process`);
    const running = runUntilStopped(async () => {
      await hotFolder?.stop();
      await server.close();
      await services.close();
    });
    if (values.sample) {
      if (!needs.pipelineWorkers) throw new UsageError('--sample needs the workers: use sohoa start');
      const files = await readFiles(await collectFiles([SAMPLE_DIR]));
      const submission = await submitDocument(ctx, { dossierCode: SAMPLE_DOSSIER, kind: 'component', submittedBy: 'sample', files });
      const failures = await waitAndReport(services, submission);
      const written = await writeDossierPdf(services, SAMPLE_DOSSIER, path.join(config.dataDir, 'out'), 'sample');
      const done = submission.alreadyDigitized ? 'already' : `${submission.pages.length - failures.length} page(s)`;
      console.log(`sample dossier ${SAMPLE_DOSSIER}: ${done} digitized → ${written ?? 'no PDF/A written'}`);
    }
    console.log(`\nOpen ${server.url}/ in a browser.`);
    if (server.firstAdmin) {
      console.log(`First start: sign in as "${server.firstAdmin.name}" with the password in ${server.firstAdmin.passwordFile}`);
      console.log('(change it under Tài khoản, delete that file, then add the other users under Quản trị → Người dùng).');
    }
    console.log('Press Ctrl-C to stop.');
    return running;
  };
}

export const workerCommand: Command = async (_args, config) => {
  const services = await openServices(config, { catalog: 'none', pipelineWorkers: true });
  console.log(
    `Sohoa workers: redis ${services.ctx.redis.location}, objects ${services.ctx.store.describe()}, concurrency ${config.concurrency}`,
  );
  if (services.ctx.redis.unauthenticated) console.warn(UNAUTHENTICATED_REDIS);
  const metrics = config.metricsPort === undefined ? undefined : await serveMetrics(services, config.host, config.metricsPort);
  if (metrics) console.log(`  metrics: http://${config.host}:${config.metricsPort}/metrics`);
  return runUntilStopped(async () => {
    metrics?.close();
    await services.close();
  });
};

/** A worker has no API: its Prometheus metrics get a port of their own. */
async function serveMetrics(services: Services, host: string, port: number): Promise<http.Server> {
  watchQueues(services.ctx);
  const server = http.createServer(async (request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}
