/**
 * glibc gives each thread that allocates its own malloc arena (up to eight per core) and keeps what
 * is freed in it: the page rasters of sharp's threads, the cleanup thread and the OCR workers.
 * MALLOC_ARENA_MAX=2 took `sohoa start`'s peak on the four real-vn pages from 1,001 to 741 MiB, at
 * the same speed. glibc reads it only at start-up, so it is set where processes are started
 * (`npm start`, the Docker image); a process that starts pipeline workers without it says so, once.
 */
let warned = false;

export function warnWithoutMallocArenaMax(): void {
  if (warned || process.platform !== 'linux' || process.env.MALLOC_ARENA_MAX) return;
  warned = true;
  console.warn(
    'NOTE MALLOC_ARENA_MAX is not set: glibc keeps a malloc arena per thread, with the page images freed in it, ' +
      'which can cost this process a few hundred MiB. Start it with MALLOC_ARENA_MAX=2, as `npm start` and the Docker image do.',
  );
}
