/** What the page processors share about the page they work on and its bad input. */
import { UnrecoverableError } from 'bullmq';
import { InputFileError } from '../../pipeline/errors.js';
import type { PageSource } from '../jobs.js';

/** How the stages name a page's original: by its key's last part (`003.jpg`), never by the name it was sent under. */
export function originalSubject(source: PageSource): string {
  return source.key.slice(source.key.lastIndexOf('/') + 1);
}

/**
 * Bad input will not get better on a retry: the page fails at once with the reason alone (which
 * goes to Redis as the job's failure); the package job puts the file's name before it.
 */
export async function failFastOnBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InputFileError) throw new UnrecoverableError(err.reason);
    throw err;
  }
}
