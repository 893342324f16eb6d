/** Commands that work on the catalog open it themselves: on PGlite, only while no API process holds it. */
import type { Config } from '../config.js';
import { openServices, type Services } from '../services.js';

export async function withCatalog<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await openServices(config, { catalog: 'required', pipelineWorkers: false });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
