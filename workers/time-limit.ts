/** A promise given a time limit: past it, the caller gets `error()` and goes on; the work itself is not stopped. */
export async function withinTimeLimit<T>(work: Promise<T>, limitMs: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), limitMs);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}
