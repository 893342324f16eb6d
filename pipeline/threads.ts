/** Pools of worker threads, each running one of the pipeline's TypeScript modules (its default export). */
import { Piscina } from 'piscina';

type PoolOptions = Omit<NonNullable<ConstructorParameters<typeof Piscina>[0]>, 'filename' | 'workerData'>;

/** A pool whose threads run `module`'s default export, loaded through tsx by ts-thread.mjs. */
export function moduleThreads(module: URL, options: PoolOptions): Piscina {
  return new Piscina({ ...options, filename: new URL('./ts-thread.mjs', import.meta.url).href, workerData: { module: module.href } });
}

/** A Buffer that crossed a thread boundary arrives as a plain Uint8Array: the same bytes, as a Buffer again. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
