/**
 * The personal data the suite's inputs carry — citizens' names and ID numbers in the ground truth
 * of the sample and the corpus, and the names the fixtures give files — which no log line may hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURE_PERSON } from './bad-inputs.js';
import { CORPUS, SAMPLE_GT_DIR } from './env.js';

const SURNAMES = 'Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý';
/** A surname and one to three more capitalised words: how a Vietnamese full name is written. */
const FULL_NAME = new RegExp(`(?:${SURNAMES})(?: \\p{Lu}[\\p{L}]*){1,3}`, 'gu');
/** CMND (9 digits) and CCCD (12 digits) numbers. */
const ID_NUMBER = /(?<!\d)(?:\d{12}|\d{9})(?!\d)/g;

function groundTruthFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.gt.txt')).map((f) => path.join(dir, f));
}

export function personalData(): string[] {
  const found = new Set<string>([FIXTURE_PERSON]);
  for (const file of [...groundTruthFiles(SAMPLE_GT_DIR), ...groundTruthFiles(CORPUS)]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(FULL_NAME)) found.add(m[0]);
    for (const m of text.matchAll(ID_NUMBER)) found.add(m[0]);
  }
  return [...found];
}

/** The lines of `log` that hold any of `data`, each with what it holds. */
export function linesHolding(log: string, data: string[]): string[] {
  return log
    .split('\n')
    .flatMap((line) => data.filter((d) => line.normalize('NFC').includes(d)).map((d) => `${d} in: ${line.slice(0, 300)}`));
}
