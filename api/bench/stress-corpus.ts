/**
 * `npm run stress-corpus -- <out dir> [--split tune|report|all] [--seeds N,N… --split <name>]`: a generated corpus of pages of
 * many kinds, to judge OCR changes by their worst page. Each (mode, seed) is one run of
 * ../shared/tools/gen_scans.py over its own texts and the repo's api/bench/stress-texts/, into
 * `<out>/<split>/<mode>-s<seed>/`. Changes are tuned on the `tune` seeds and reported on the
 * `report` seeds, never tuned on; `report/issue-s5|6|8` are the pages issue 13 found wrecked.
 * Needs Python 3 with Pillow and the fonts gen_scans.py draws with (Debian: python3-pil fonts-liberation2
 * tex-gyre fonts-dejavu-core).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOLS = path.resolve(HERE, '../../../shared/tools');
const PYTHON = process.env.SOHOA_PYTHON ?? '/usr/bin/python3';

/** gen_scans.py options per kind of page; shading, dark borders, seals, blur and noise come at random in every mode. */
const MODES: Record<string, string[]> = {
  scan: [],
  turned: ['--rotated', '0.5'],
  dpi200: ['--dpi', '200'],
  dpi150: ['--dpi', '150'],
  dpi100: ['--dpi', '100'],
  untagged: ['--no-dpi-tag'],
  'dpi150-untagged': ['--dpi', '150', '--no-dpi-tag'],
  'dpi100-untagged': ['--dpi', '100', '--no-dpi-tag'],
};

const FONTS = [
  '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf',
  '/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyretermes-regular.otf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
];

const SEEDS = { tune: [101, 102], report: [201, 202, 203] } as const;
type Split = keyof typeof SEEDS;

function generate(texts: string, out: string, seed: number, options: string[]): void {
  const run = spawnSync(PYTHON, [path.join(TOOLS, 'gen_scans.py'), texts, out, '--seed', String(seed), ...options], { encoding: 'utf8' });
  if (run.error) throw new Error(`${PYTHON}: ${run.error.message} (set SOHOA_PYTHON to a Python 3 with Pillow)`);
  if (run.status !== 0) throw new Error(`gen_scans.py --seed ${seed} ${options.join(' ')} failed: ${run.stderr.trim()}`);
  console.log(`${path.relative(process.cwd(), out)}: ${run.stdout.trim()}`);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { split: { type: 'string', default: 'all' }, seeds: { type: 'string' } },
  });
  const out = positionals[0];
  // Seeds of one's own make a fresh split, never tuned on: the check a change gets last.
  const seeds: Record<string, readonly number[]> = values.seeds ? { [values.split]: values.seeds.split(',').map(Number) } : SEEDS;
  const splits = values.split === 'all' && !values.seeds ? (['tune', 'report'] as Split[]) : [values.split];
  if (!out || splits.some((s) => !(s in seeds) || seeds[s]!.some((n) => !Number.isInteger(n))))
    throw new Error('usage: npm run stress-corpus -- <out dir> [--split tune|report|all] [--seeds N,N… --split <name>]');
  if (!fs.existsSync(path.join(TOOLS, 'gen_scans.py')))
    throw new Error(`${TOOLS}/gen_scans.py is missing: the stress corpus needs ../shared`);
  const missing = FONTS.filter((f) => !fs.existsSync(f));
  if (missing.length)
    throw new Error(`gen_scans.py draws with ${missing.join(', ')}: apt-get install fonts-liberation2 fonts-texgyre fonts-dejavu-core`);
  const texts = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-stress-texts-'));
  try {
    for (const dir of [path.join(TOOLS, 'texts'), path.join(HERE, 'stress-texts')]) {
      for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.txt'))) fs.copyFileSync(path.join(dir, f), path.join(texts, f));
    }
    for (const split of splits) {
      for (const seed of seeds[split]!) {
        for (const [mode, options] of Object.entries(MODES)) generate(texts, path.join(out, split, `${mode}-s${seed}`), seed, options);
      }
    }
    // The pages issue 13 was filed on: gen_scans.py's own texts, its default options.
    if (splits.includes('report'))
      for (const seed of [5, 6, 8]) generate(path.join(TOOLS, 'texts'), path.join(out, 'report', `issue-s${seed}`), seed, []);
  } finally {
    fs.rmSync(texts, { recursive: true, force: true });
  }
}

main();
