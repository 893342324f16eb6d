/**
 * tesseract.js engine: a pool of workers sized to the cores, created once and reused, so the
 * models load once per process and never per page. Language data comes from the
 * @tesseract.js-data packages; nothing is downloaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp, { type OutputInfo } from 'sharp';
import { createScheduler, createWorker, OEM, PSM, type Block, type RecognizeOptions, type Scheduler } from 'tesseract.js';
import type { OcrEngine, OcrLine, OcrOptions, OcrPageResult, OcrWord } from '../ocr.js';
import { DEFAULT_LANGUAGES } from '../ocr.js';
import { boxOf, readingOrder, splitAtGutters } from '../reading-order.js';

export type ModelVariant = 'best' | 'fast';

export interface TesseractOptions {
  workers: number;
  model: ModelVariant;
  languages: string[];
}

const require = createRequire(import.meta.url);

/**
 * tesseract.js wants one directory holding every language's traineddata, while each language
 * ships in its own package; a directory of symlinks joins them without copying 15 MB.
 */
export function languageDataDir(languages: string[], model: ModelVariant): string {
  const folder = model === 'best' ? '4.0.0_best_int' : '4.0.0';
  const dir = path.join(os.tmpdir(), `sohoa-tessdata-${model}-${languages.join('+')}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const lang of languages) {
    const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const source = path.join(pkg, folder, `${lang}.traineddata.gz`);
    if (!fs.existsSync(source)) throw new Error(`language data ${source} is missing: npm install @tesseract.js-data/${lang}`);
    const link = path.join(dir, `${lang}.traineddata.gz`);
    if (!fs.existsSync(link)) {
      fs.symlinkSync(source, `${link}.${process.pid}`);
      fs.renameSync(`${link}.${process.pid}`, link);
    }
  }
  return dir;
}

/**
 * tesseract.js hands any Tesseract parameter given with a job to Tesseract for that job only
 * (worker-script `recognize` saves and restores them), though its types list only its own options.
 */
const SINGLE_LINE = { tessedit_pageseg_mode: PSM.SINGLE_LINE } as unknown as Partial<RecognizeOptions>;

export class TesseractEngine implements OcrEngine {
  readonly name: string;
  private scheduler: Promise<Scheduler> | undefined;

  constructor(private readonly options: TesseractOptions) {
    this.name = `tesseract.js ${require('tesseract.js/package.json').version} (${options.model})`;
  }

  private start(): Promise<Scheduler> {
    this.scheduler ??= (async () => {
      const { languages, model, workers } = this.options;
      const langPath = languageDataDir(languages, model);
      const scheduler = createScheduler();
      const created = await Promise.all(
        Array.from({ length: workers }, () =>
          createWorker(languages.join('+'), OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true }),
        ),
      );
      for (const worker of created) {
        // Automatic page segmentation, as native Tesseract does: tesseract.js defaults to a single
        // block, which skips the layout step that assigns Vietnamese tone marks floating above a
        // circumflex to their line (qngai_575: word error 20.6% → 10.3%). Tesseract's chatter
        // ("Detected N diacritics") goes to /dev/null, not the workers' stdout.
        await worker.setParameters({ preserve_interword_spaces: '1', tessedit_pageseg_mode: PSM.AUTO, debug_file: '/dev/null' });
        scheduler.addWorker(worker);
      }
      return scheduler;
    })();
    return this.scheduler;
  }

  async recognize(image: Buffer, options: Partial<OcrOptions> = {}): Promise<OcrPageResult> {
    if (options.languages && options.languages.join('+') !== this.options.languages.join('+')) {
      throw new Error(`this engine was started for ${this.options.languages.join('+')}, not ${options.languages.join('+')}`);
    }
    const scheduler = await this.start();
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const { data } = await scheduler.addJob('recognize', image, {}, { blocks: true });
    const lines = readingOrder(await this.rereadColumns(scheduler, image, linesOf(data.blocks ?? []).map(splitAtGutters)));
    const words = lines.flatMap((l) => l.words);
    const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
    return {
      text: lines.map((l) => l.words.map((w) => w.text).join(' ')).join('\n'),
      confidence: Math.round(confidence * 10) / 10,
      width,
      height,
      lines,
      engine: this.name,
      languages: this.options.languages,
    };
  }

  /**
   * Lines Tesseract ran across a column gutter (given split at it), read again piece by piece. Joined to its
   * neighbour, a line is normalised to the pair's common height and baseline, and the smaller
   * column loses its tone marks (qngai_575: "DÂN" read "DAN", "PHÓ CHÁNH" read "PHO CHANH").
   */
  private async rereadColumns(scheduler: Scheduler, image: Buffer, lines: OcrLine[][]): Promise<OcrLine[][]> {
    if (lines.every((pieces) => pieces.length === 1)) return lines;
    const page = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
    return Promise.all(lines.map((pieces) => (pieces.length === 1 ? pieces : Promise.all(pieces.map((piece) => this.rereadPiece(scheduler, page, piece))))));
  }

  private async rereadPiece(scheduler: Scheduler, page: { data: Buffer; info: OutputInfo }, piece: OcrLine): Promise<OcrLine> {
    const { box } = piece;
    const h = box.y1 - box.y0;
    // Room above for tone marks the joined line clipped, and white margins Tesseract expects.
    const left = Math.max(0, box.x0 - h);
    const top = Math.max(0, Math.round(box.y0 - h * 0.4));
    const right = Math.min(page.info.width, box.x1 + h);
    const bottom = Math.min(page.info.height, Math.round(box.y1 + h * 0.2));
    const crop = await sharp(page.data, { raw: { width: page.info.width, height: page.info.height, channels: 1 } })
      .extract({ left, top, width: right - left, height: bottom - top })
      .toColourspace('b-w')
      .png({ compressionLevel: 1 })
      .toBuffer();
    // One line, so Tesseract's page layout cannot clip it again; the parameter holds for this job only.
    const { data } = await scheduler.addJob('recognize', crop, SINGLE_LINE, { blocks: true });
    // The crop's margins may catch a neighbouring line: only words centred in the piece count.
    const words = linesOf(data.blocks ?? [])
      .flatMap((l) => l.words)
      .map((w) => ({ ...w, box: { x0: w.box.x0 + left, y0: w.box.y0 + top, x1: w.box.x1 + left, y1: w.box.y1 + top } }))
      .filter((w) => {
        const cy = (w.box.y0 + w.box.y1) / 2;
        return cy >= box.y0 && cy <= box.y1;
      });
    return words.length ? { ...piece, box: boxOf(words.map((w) => w.box)), words } : piece;
  }

  async close(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = undefined;
    if (scheduler) await (await scheduler).terminate();
  }
}

function linesOf(blocks: Block[]): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of blocks) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = line.words
          .map((w) => ({ text: w.text.normalize('NFC').trim(), box: { ...w.bbox }, confidence: Math.round(w.confidence * 10) / 10 }))
          .filter((w) => w.text.length > 0);
        if (words.length === 0) continue;
        lines.push({
          box: { ...line.bbox },
          baseline: { x0: line.baseline.x0, y0: line.baseline.y0, x1: line.baseline.x1, y1: line.baseline.y1 },
          words,
        });
      }
    }
  }
  return lines;
}

export function createTesseractEngine(options: Partial<TesseractOptions> = {}): TesseractEngine {
  return new TesseractEngine({
    workers: options.workers ?? os.availableParallelism(),
    model: options.model ?? 'best',
    languages: options.languages ?? DEFAULT_LANGUAGES,
  });
}
