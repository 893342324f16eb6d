/**
 * The house plan, checked on every `npm test` (`npm run lint:imports`):
 * - floors import downward only: api → workers → storage → pipeline;
 * - workers are stateless (Redis and the object store): they never import the catalog, and the
 *   object store, the system of record, never depends on the catalog derived from it;
 * - the folders in SURFACED are entered through their index.ts, their public surface: nothing
 *   outside the folder reaches past it (tests may import a module directly to unit-test it).
 *   pipeline/index.ts is not such a surface but the page sequence; the pipeline's shared modules
 *   (errors.ts, raster.ts, statistics.ts…) sit beside it;
 * - no cycles, no module that neither the CLI nor a bench reaches, no production import of a dev
 *   dependency;
 * - tests never import a bench (benches may use the corpus listings and bare tesseract.js in test/support).
 */
const FLOORS = ['pipeline', 'storage', 'workers', 'api'];
/** Folders entered only through their index.ts. */
const SURFACED = [
  'pipeline/input',
  'pipeline/cleanup',
  'pipeline/ocr',
  'pipeline/pdfa',
  'pipeline/sign',
  'storage/objects',
  'storage/catalog',
  'storage/catalog/search',
  'workers',
  'api/http',
];

/** Where programs start: the `sohoa` CLI and the benches. */
// ts-thread.mjs is where worker threads start; pipeline/threads.ts names it, and the module each
// pool runs (pdf-decode.ts, cleanup-task.ts), by URL.
const ENTRY_POINTS =
  '^(bin/sohoa\\.js|pipeline/ts-thread\\.mjs|pipeline/input/pdf-decode\\.ts|pipeline/cleanup/cleanup-task\\.ts|api/bench/(eval|ocr-bench|pdfa-size|stress-corpus|abuse|vs-ocrmypdf|geometry|catalog/main)\\.ts)$';

const above = (floor) => FLOORS.slice(FLOORS.indexOf(floor) + 1);

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Modules import each other in a ring.', from: {}, to: { circular: true } },
    ...FLOORS.slice(0, -1).map((floor) => ({
      name: `no-upward-import-from-${floor}`,
      severity: 'error',
      comment: `${floor}/ may not import a floor above it (${above(floor).join(', ')}): imports point down only.`,
      from: { path: `^${floor}/` },
      to: { path: `^(${above(floor).join('|')})/` },
    })),
    {
      name: 'no-catalog-in-workers',
      severity: 'error',
      comment: 'Workers hold only Redis and the object store; only the catalog indexer (run by the api floor) writes the catalog.',
      from: { path: '^workers/' },
      to: { path: '^storage/catalog/' },
    },
    {
      name: 'no-catalog-in-objects',
      severity: 'error',
      comment: 'The object store is the system of record; the catalog is derived from it, never the other way round.',
      from: { path: '^storage/objects/' },
      to: { path: '^storage/catalog/' },
    },
    {
      name: 'no-tests-in-production',
      severity: 'error',
      comment: 'Production code does not import tests; the benches use only the corpus yardsticks.',
      from: { path: '^(pipeline|storage|workers|api)/', pathNot: '^api/bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'bench-uses-only-corpus-yardsticks',
      severity: 'error',
      comment:
        'Benches share with the tests only the corpus listings, bare tesseract.js, the generated fixtures and the Decree 30 yardsticks (truth, generated pages, scoring), so both measure the same way.',
      from: { path: '^api/bench/' },
      to: { path: '^test/', pathNot: '^test/support/(corpus|bare-tesseract|fixtures|decree30-(pages|read|score|truth))\\.ts$' },
    },
    {
      name: 'no-bench-in-tests',
      severity: 'error',
      comment: 'Tests do not import benches.',
      from: { path: '^test/' },
      to: { path: '^api/bench/' },
    },
    ...SURFACED.map((folder) => ({
      name: `through-index:${folder}`,
      severity: 'error',
      comment: `Outside ${folder}/, import ${folder}/index.ts, its public surface, not the modules behind it.`,
      from: { path: '^(pipeline|storage|workers|api|bin)/', pathNot: `^${folder}/` },
      to: { path: `^${folder}/`, pathNot: `^${folder}/index\\.ts$` },
    })),
    {
      name: 'no-unreachable',
      severity: 'error',
      comment: 'A module that neither the CLI nor a bench reaches is dead code.',
      from: { path: ENTRY_POINTS },
      to: { path: '^(pipeline|storage|workers|api)/', pathNot: ENTRY_POINTS, reachable: false },
    },
    {
      name: 'no-dev-dependency-in-production',
      severity: 'error',
      from: { path: '^(pipeline|storage|workers|api)/', pathNot: '^api/bench/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The browser app (TSX, which this parser cannot read) is bundled by esbuild; test/web.test.ts
    // checks from esbuild's own list of its inputs that it imports nothing of the server's.
    exclude: { path: '^api/web/app/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
