/**
 * A per-dossier lease in Redis: two documents of one dossier may finish at once, and the manifest
 * is read, changed and written whole. The lease is short and renewed while its holder works, so a
 * crashed holder frees the dossier within one lease, and a holder that stalls longer than that (a
 * paused process, a lost Redis) finds out before it writes: `lease.confirm()` just before the
 * manifest write throws if another worker may have taken over.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DossierBusyError } from '../pipeline/errors.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export interface LockTiming {
  /** How long the lease lasts unless renewed; it is renewed every third of that. */
  leaseMs: number;
  /** How long to wait for another holder before giving up with DossierBusyError. */
  waitMs: number;
}

/** Packaging a large dossier takes minutes; a crashed holder's lease ends within 30 s. */
export const DOSSIER_LOCK: LockTiming = { leaseMs: 30_000, waitMs: 10 * 60_000 };

export interface Lease {
  /** Throws DossierBusyError unless the lease is still this holder's. */
  confirm(): Promise<void>;
}

export async function withLock<T>(redis: Redis, key: string, timing: LockTiming, fn: (lease: Lease) => Promise<T>): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + timing.waitMs;
  for (let delay = 20; (await redis.set(key, token, 'PX', timing.leaseMs, 'NX')) !== 'OK'; delay = Math.min(delay * 2, 500)) {
    if (Date.now() >= deadline) throw new DossierBusyError(`${key} stayed held by another worker for ${timing.waitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, delay));
  }
  let held = true;
  const renew = async () => {
    try {
      held &&= (await redis.eval(RENEW, 1, key, token, timing.leaseMs)) === 1;
    } catch {
      // Redis unreachable: the lease may run out; confirm() finds out.
    }
  };
  const timer = setInterval(renew, timing.leaseMs / 3);
  const lease: Lease = {
    async confirm() {
      if (!held || (await redis.get(key)) !== token) {
        held = false;
        throw new DossierBusyError(`${key}: the lease ran out while this worker held it; another may have taken over`);
      }
    },
  };
  try {
    return await fn(lease);
  } finally {
    clearInterval(timer);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
