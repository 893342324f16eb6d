/**
 * tesseract.js engine: a pool of workers sized to the cores, created once and reused, so the
 * models load once per process and never per page. Language data comes installed: best_int from
 * the @tesseract.js-data packages, tessdata_fast from the system's Tesseract packages; nothing is
 * downloaded.
 *
 * With Vietnamese first among several languages, the pool reads every page in Vietnamese alone.
 * Tesseract's multi-language mode keeps using the language that read the previous word, so once
 * a code such as "UBND" went to English, "địa bàn tỉnh" came out "dia ban tinh". A page that
 * turns out not to be Vietnamese is read again with every language, by one more worker started on
 * the first such page. pipeline/DECISIONS.md has what each choice here measured.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import {
  type Block,
  createScheduler,
  createWorker,
  OEM,
  PSM,
  type RecognizeOptions,
  type Scheduler,
  type WorkerParams,
} from 'tesseract.js';
import { cropRaster, type GreyRaster } from '../../raster.js';
import { vietnameseWordShare } from '../../vietnamese.js';
import { insertByTop, uncoveredBands } from '../dropped-lines.js';
import { type Box, DEFAULT_LANGUAGES, type OcrEngine, type OcrLine, type OcrOptions, type OcrPageResult, type OcrWord } from '../engine.js';
import { boxOf, readingOrder, splitAtGutters, wordHeight } from '../reading-order.js';
import { type Letter, mayHaveLostStackedMark, tallStackBases, withStackedMarks, wordWithMarksAbove } from '../stacked-marks.js';

export const MODEL_VARIANTS = ['best', 'fast'] as const;
export type ModelVariant = (typeof MODEL_VARIANTS)[number];

export interface TesseractOptions {
  workers: number;
  model: ModelVariant;
  languages: string[];
}

const require = createRequire(import.meta.url);

/** Where tesseract.js reads a model's language data, and whether the files there are gzipped. */
export interface LanguageData {
  langPath: string;
  gzip: boolean;
}

/**
 * Folders of system Tesseract language data. Debian's and Ubuntu's tesseract-ocr-<lang> packages
 * hold the tessdata_fast models, which no npm package ships; TESSDATA_PREFIX, Tesseract's own
 * variable, names any other folder of them.
 */
const SYSTEM_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata'];

/**
 * The language data of a model. `best` is the npm packages' `4.0.0_best_int` data; `fast` is
 * tessdata_fast from the system's Tesseract packages, installed with the system, never
 * downloaded at run time. tesseract.js wants one directory holding every language's data, while
 * each language ships on its own: a directory of symlinks joins them without copying.
 */
export function languageData(languages: string[], model: ModelVariant): LanguageData {
  const gzip = model === 'best';
  const dir = path.join(os.tmpdir(), `sohoa-tessdata-${model}-${languages.join('+')}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const lang of languages) {
    const source = model === 'best' ? bestIntModel(lang) : fastModel(lang);
    // Linked anew each time, and renamed into place so that another process never sees it missing.
    const link = path.join(dir, path.basename(source));
    fs.rmSync(`${link}.${process.pid}`, { force: true });
    fs.symlinkSync(source, `${link}.${process.pid}`);
    fs.renameSync(`${link}.${process.pid}`, link);
  }
  return { langPath: dir, gzip };
}

function bestIntModel(lang: string): string {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  const source = path.join(pkg, '4.0.0_best_int', `${lang}.traineddata.gz`);
  if (!fs.existsSync(source)) throw new Error(`language data ${source} is missing: npm install @tesseract.js-data/${lang}`);
  return source;
}

function fastModel(lang: string): string {
  const folders = [...(process.env.TESSDATA_PREFIX ? [process.env.TESSDATA_PREFIX] : []), ...SYSTEM_TESSDATA];
  const source = folders.map((folder) => path.join(folder, `${lang}.traineddata`)).find((file) => fs.existsSync(file));
  if (!source) {
    throw new Error(
      `the fast model reads tessdata_fast ${lang}.traineddata, which no npm package ships and none of ${folders.join(', ')} holds: ` +
        `apt-get install tesseract-ocr-${lang} (Debian, Ubuntu), or set TESSDATA_PREFIX to a folder of tessdata_fast models`,
    );
  }
  return source;
}

/**
 * tesseract.js hands any Tesseract parameter given with a job to Tesseract for that job only
 * (worker-script `recognize` saves and restores them), though its types list only its own options.
 * A crop carries no resolution; the OCR image is at least 300 dpi, and saying so spares Tesseract
 * a guess and a warning per crop.
 */
const SINGLE_LINE = { tessedit_pageseg_mode: PSM.SINGLE_LINE, user_defined_dpi: '300' } as unknown as Partial<RecognizeOptions>;
const SINGLE_WORD = { tessedit_pageseg_mode: PSM.SINGLE_WORD, user_defined_dpi: '300' } as unknown as Partial<RecognizeOptions>;

/** How long closing the engine waits for the pages being read to end before it stops the workers. */
const CLOSE_WAIT_MS = 60_000;

/** Below this share of words with Vietnamese letters, a page read in Vietnamese is not Vietnamese. */
const VIETNAMESE_PAGE = 0.3;

/** The page's grey pixels, decoded once and only when a second reading needs them. */
type PagePixels = () => Promise<GreyRaster>;

export class TesseractEngine implements OcrEngine {
  readonly name: string;
  private pool: Promise<Scheduler> | undefined;
  private allLanguages: Promise<Scheduler> | undefined;
  /** The pages being read now. */
  private readonly reading = new Set<Promise<OcrPageResult>>();
  private closed = false;

  constructor(private readonly options: TesseractOptions) {
    this.name = `tesseract.js ${require('tesseract.js/package.json').version} (${options.model})`;
  }

  /** Vietnamese first among several languages: pages are read in Vietnamese alone first. */
  private get vietnameseFirst(): boolean {
    return this.options.languages[0] === 'vie' && this.options.languages.length > 1;
  }

  private get poolLanguages(): string[] {
    return this.vietnameseFirst ? ['vie'] : this.options.languages;
  }

  private startPool(): Promise<Scheduler> {
    this.pool ??= startScheduler(this.poolLanguages, this.options.model, this.options.workers);
    return this.pool;
  }

  private startAllLanguages(): Promise<Scheduler> {
    this.allLanguages ??= startScheduler(this.options.languages, this.options.model, 1);
    return this.allLanguages;
  }

  async start(): Promise<void> {
    await this.startPool();
  }

  async recognize(image: Buffer, options: Partial<OcrOptions> = {}): Promise<OcrPageResult> {
    if (this.closed) throw new Error('the OCR engine is closed: no more pages are read');
    const reading = this.read(image, options);
    this.reading.add(reading);
    try {
      return await reading;
    } finally {
      this.reading.delete(reading);
    }
  }

  private async read(image: Buffer, options: Partial<OcrOptions>): Promise<OcrPageResult> {
    if (options.languages && options.languages.join('+') !== this.options.languages.join('+')) {
      throw new Error(`this engine was started for ${this.options.languages.join('+')}, not ${options.languages.join('+')}`);
    }
    let scheduler = await this.startPool();
    let languages = this.poolLanguages;
    let read = await readLayout(scheduler, image);
    // The language is judged on the first reading, before any second reading is spent on it.
    if (this.vietnameseFirst && vietnameseWordShare(read.lines.flatMap((l) => l.words.map((w) => w.text))) < VIETNAMESE_PAGE) {
      scheduler = await this.startAllLanguages();
      languages = this.options.languages;
      read = await readLayout(scheduler, image);
    }
    let decoded: Promise<GreyRaster> | undefined;
    const lines = await mendReading(scheduler, read, () => (decoded ??= greyPixels(image)));
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const words = lines.flatMap((l) => l.words);
    const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
    return {
      text: lines.map((l) => l.words.map((w) => w.text).join(' ')).join('\n'),
      confidence: Math.round(confidence * 10) / 10,
      width,
      height,
      lines,
      engine: this.name,
      languages,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    // A reading its page gave up on (past the page's time limit) goes on in the pool, and hands
    // Tesseract its second readings as it goes: terminated under it, its next job would go to a
    // worker that is no more. It may end first, for a while.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.reading]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    const started = [this.pool, this.allLanguages];
    this.pool = this.allLanguages = undefined;
    await Promise.all(started.map(async (scheduler) => scheduler && (await scheduler).terminate()));
  }
}

async function startScheduler(languages: string[], model: ModelVariant, workers: number): Promise<Scheduler> {
  const data = languageData(languages, model);
  const scheduler = createScheduler();
  const created = await Promise.all(
    Array.from({ length: workers }, () => createWorker(languages.join('+'), OEM.LSTM_ONLY, { ...data, cacheMethod: 'none' })),
  );
  for (const worker of created) {
    // Automatic page segmentation, as native Tesseract does: tesseract.js defaults to a single
    // block, which skips the layout step that assigns Vietnamese tone marks floating above a
    // circumflex to their line. Cleanup has despeckled the OCR copy already, and Tesseract's own
    // noise removal then takes away tone marks only. Scanned documents set no white-on-black text
    // worth reading every doubtful word inverted for. The fixed-pitch test serves the legacy
    // engine's character cells, not LSTM lines. Tesseract's chatter goes to /dev/null.
    await worker.setParameters({
      preserve_interword_spaces: '1',
      tessedit_pageseg_mode: PSM.AUTO,
      enable_noise_removal: '0',
      tessedit_do_invert: '0',
      textord_disable_pitch_test: '1',
      debug_file: '/dev/null',
    } as unknown as Partial<WorkerParams>);
    scheduler.addWorker(worker);
  }
  return scheduler;
}

/** Tesseract's reading of the page: its lines, and the letters of each word. */
interface PageReading {
  lines: OcrLine[];
  letters: Map<OcrWord, Letter[]>;
}

async function readLayout(scheduler: Scheduler, image: Buffer): Promise<PageReading> {
  const { data } = await scheduler.addJob('recognize', image, {}, { blocks: true });
  const letters = new Map<OcrWord, Letter[]>();
  return { lines: linesOf(data.blocks ?? [], letters), letters };
}

/** The second readings that mend Tesseract's: dropped lines, lines split at column gutters, lost stacked marks. */
async function mendReading(scheduler: Scheduler, { lines: read, letters }: PageReading, pixels: PagePixels): Promise<OcrLine[]> {
  const tallBases = new Set(read.flatMap((line) => tallStackBases(line.words.map((word) => ({ word, letters: letters.get(word)! })))));
  const unit = wordHeight(read);
  const found = await rereadDroppedLines(scheduler, await pixels(), read, unit);
  const lines = readingOrder(
    await rereadColumns(
      scheduler,
      pixels,
      insertByTop(read, found).map((line) => splitAtGutters(line, unit)),
    ),
    unit,
  );
  return restoreStackedMarks(scheduler, pixels, lines, tallBases);
}

/** A dropped line's band read alone is kept when it reads as words, not as a mark or a stamp's edge. */
const DROPPED_LINE = { minWords: 2, minConfidence: 70 };

async function rereadDroppedLines(scheduler: Scheduler, page: GreyRaster, read: OcrLine[], unit: number): Promise<OcrLine[]> {
  const bands = uncoveredBands(page, read, unit);
  const lines = await Promise.all(bands.map((box) => rereadPiece(scheduler, page, { box, words: [] })));
  return lines.filter(
    ({ words }) =>
      words.length >= DROPPED_LINE.minWords && words.reduce((sum, w) => sum + w.confidence, 0) / words.length >= DROPPED_LINE.minConfidence,
  );
}

/**
 * Lines Tesseract ran across a column gutter (given split at it), read again piece by piece. Joined to its
 * neighbour, a line is normalised to the pair's common height and baseline, and the smaller
 * column loses its tone marks (qngai_575: "DÂN" read "DAN", "PHÓ CHÁNH" read "PHO CHANH").
 */
async function rereadColumns(scheduler: Scheduler, pixels: PagePixels, lines: OcrLine[][]): Promise<OcrLine[][]> {
  if (lines.every((pieces) => pieces.length === 1)) return lines;
  const page = await pixels();
  return Promise.all(
    lines.map((pieces) => (pieces.length === 1 ? pieces : Promise.all(pieces.map((piece) => rereadPiece(scheduler, page, piece))))),
  );
}

async function rereadPiece(scheduler: Scheduler, page: GreyRaster, piece: OcrLine): Promise<OcrLine> {
  const { box } = piece;
  const h = box.y1 - box.y0;
  // Room above for tone marks the joined line clipped, and white margins Tesseract expects.
  const left = Math.max(0, box.x0 - h);
  const top = Math.max(0, Math.round(box.y0 - h * 0.4));
  const crop = cropRaster(page, { left, top, width: box.x1 + h - left, height: Math.round(box.y1 + h * 0.2) - top });
  // One line, so Tesseract's page layout cannot clip it again; the parameter holds for this job only.
  const { data } = await scheduler.addJob('recognize', pgm(crop), SINGLE_LINE, { blocks: true });
  // The crop's margins may catch a neighbouring line: only words centred in the piece count.
  const words = linesOf(data.blocks ?? [])
    .flatMap((l) => l.words)
    .map((w) => ({ ...w, box: shift(w.box, left, top) }))
    .filter((w) => {
      const cy = (w.box.y0 + w.box.y1) / 2;
      return cy >= box.y0 && cy <= box.y1;
    });
  return words.length ? { ...piece, box: boxOf(words.map((w) => w.box)), words } : piece;
}

/**
 * Words read with a bare circumflex or breve that show ink for a second mark — marks above their
 * box, or a stack base taller than its line's (`tallBases`) — read again alone with the marks
 * above them; the second reading is kept only where it adds a stacked tone mark.
 */
async function restoreStackedMarks(
  scheduler: Scheduler,
  pixels: PagePixels,
  lines: OcrLine[],
  tallBases: Set<OcrWord>,
): Promise<OcrLine[]> {
  const suspects = lines.flatMap((l) => l.words).filter((w) => mayHaveLostStackedMark(w.text));
  if (suspects.length === 0) return lines;
  const page = await pixels();
  const mended = new Map<OcrWord, OcrWord>();
  await Promise.all(
    suspects.map(async (word) => {
      const { image, marksAbove } = wordWithMarksAbove(page, word.box);
      if (marksAbove === 0 && !tallBases.has(word)) return;
      const { data } = await scheduler.addJob('recognize', pgm(image), SINGLE_WORD, { blocks: true });
      const reread = linesOf(data.blocks ?? []).flatMap((l) => l.words);
      const text = reread.length === 1 ? withStackedMarks(word.text, reread[0]!.text) : undefined;
      if (text) mended.set(word, { ...word, text, confidence: reread[0]!.confidence });
    }),
  );
  return lines.map((line) => ({ ...line, words: line.words.map((w) => mended.get(w) ?? w) }));
}

async function greyPixels(image: Buffer): Promise<GreyRaster> {
  const { data, info } = await sharp(image).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Binary PGM: Leptonica reads it as is, with no encoding or compression on either side. */
function pgm(raster: GreyRaster): Buffer {
  return Buffer.concat([Buffer.from(`P5\n${raster.width} ${raster.height}\n255\n`), raster.data]);
}

function shift(box: Box, dx: number, dy: number): Box {
  return { x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy };
}

/**
 * Tesseract's lines as OcrLines. `letters`, when given, receives each word's letters with the
 * heights of their boxes (see stacked-marks.ts): the words' boxes go no further.
 */
function linesOf(blocks: Block[], letters?: Map<OcrWord, Letter[]>): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of blocks) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = [];
        for (const w of line.words) {
          const word = { text: w.text.normalize('NFC').trim(), box: { ...w.bbox }, confidence: Math.round(w.confidence * 10) / 10 };
          if (word.text.length === 0) continue;
          words.push(word);
          letters?.set(
            word,
            w.symbols.map((s) => ({ text: s.text.normalize('NFC'), height: s.bbox.y1 - s.bbox.y0 })),
          );
        }
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
