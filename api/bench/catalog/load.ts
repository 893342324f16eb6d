/**
 * Bulk-loading the benchmark corpus the way one loads a large catalog: secondary indexes of pages
 * and the lexicon trigger are set aside while the rows go in, then rebuilt once (building a GIN
 * index in one pass is far cheaper than growing it row by row). The tables, indexes and trigger
 * are exactly those of the migrations.
 */
import type { SqlClient } from '../../../storage/catalog/index.js';
import { type CorpusSize, corpusSize, generateDossiers } from './corpus.js';

export interface LoadTimings {
  generateMs: number;
  indexMs: number;
  lexiconMs: number;
  analyzeMs: number;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

/** Generates dossiers in chunks until the catalog holds at least `pages` pages. */
export async function loadCorpus(
  sql: SqlClient,
  options: { pages: number; maintenanceWorkMem: string; onProgress?: (size: CorpusSize) => void },
): Promise<{ size: CorpusSize; timings: LoadTimings }> {
  const indexes = await sql.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'pages' AND indexname <> 'pages_pkey'`,
  );
  for (const { indexname } of indexes) await sql.exec(`DROP INDEX ${indexname}`);
  await sql.exec('ALTER TABLE pages DISABLE TRIGGER pages_learn_words');

  const CHUNK = 10_000; // dossiers, about 100,000 pages
  const [size, generateMs] = await timed(async () => {
    let from = 0;
    let size = await corpusSize(sql);
    while (size.pages < options.pages) {
      // Aim the last chunk at the target: about ten pages per dossier.
      const count = Math.min(CHUNK, Math.max(100, Math.ceil((options.pages - size.pages) / 9.5)));
      await generateDossiers(sql, from, from + count);
      from += count;
      size = await corpusSize(sql);
      options.onProgress?.(size);
    }
    return size;
  });

  const [, indexMs] = await timed(async () => {
    await sql.exec(`SET maintenance_work_mem = '${options.maintenanceWorkMem}'`);
    for (const { indexdef } of indexes) await sql.exec(indexdef);
    await sql.exec('RESET maintenance_work_mem');
  });
  const [, lexiconMs] = await timed(async () => {
    // What the trigger would have learnt, in one statement.
    await sql.exec(`INSERT INTO search_words (word)
      SELECT DISTINCT w FROM pages, regexp_split_to_table(text_search, '[^a-z]+') AS w
      WHERE length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING`);
    await sql.exec('ALTER TABLE pages ENABLE TRIGGER pages_learn_words');
  });
  const [, analyzeMs] = await timed(() => sql.exec('VACUUM ANALYZE'));
  return { size, timings: { generateMs, indexMs, lexiconMs, analyzeMs } };
}
