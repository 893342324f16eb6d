/**
 * The installation an object store belongs to: a random id kept in the store itself
 * (`installation.json`), made by the first process that opens it. Everything that shares the
 * store is one installation; its queues and Redis keys carry the id, so two installations on one
 * Redis never take each other's jobs.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../pipeline/errors.js';
import { getJson, putJson } from './io.js';
import type { ObjectStore } from './store.js';

const INSTALLATION_KEY = 'installation.json';

interface InstallationRecord {
  id: string;
  createdAt: string;
}

export async function installationId(store: ObjectStore): Promise<string> {
  const read = () =>
    getJson<InstallationRecord>(store, INSTALLATION_KEY).then(
      (r) => r.id,
      (err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      },
    );
  const known = await read();
  if (known) return known;
  await putJson(store, INSTALLATION_KEY, { id: randomUUID(), createdAt: new Date().toISOString() } satisfies InstallationRecord);
  // Two first processes at once: the one written last is the one both read back.
  await new Promise((r) => setTimeout(r, 200));
  return (await read())!;
}
