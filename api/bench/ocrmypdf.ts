/** OCRmyPDF, the yardstick of the PDF/A benches: is it here, with what it needs for the command line. */
import { spawnSync } from 'node:child_process';

export function ocrmypdfVersion(): string | undefined {
  const run = spawnSync('ocrmypdf', ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** What is missing to run `ocrmypdf -l vie --clean …`, with how to get it; undefined when nothing is. */
export function missingOcrmypdf(): string | undefined {
  const missing: string[] = [];
  if (!ocrmypdfVersion()) missing.push('ocrmypdf');
  if (spawnSync('unpaper', ['--version']).status !== 0) missing.push('unpaper (for --clean)');
  const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  if (!/^vie$/m.test(`${langs.stdout}`)) missing.push("tesseract's Vietnamese model");
  return missing.length ? `${missing.join(', ')} missing: apt-get install ocrmypdf unpaper tesseract-ocr-vie` : undefined;
}
