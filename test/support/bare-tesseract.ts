/**
 * Bare tesseract.js: the file as it came, no cleanup, Sohoa's languages and model, one worker per
 * core. The yardstick the benchmarks and the never-worse-than-bare corpus test hold Sohoa to.
 */
import { createScheduler, createWorker, OEM } from 'tesseract.js';
import { DEFAULT_LANGUAGES, languageData, type ModelVariant } from '../../pipeline/ocr/index.js';

export interface BareTesseract {
  recognize(image: Buffer): Promise<string>;
  close(): Promise<void>;
}

export async function openBareTesseract(workers: number, model: ModelVariant = 'best'): Promise<BareTesseract> {
  const data = languageData(DEFAULT_LANGUAGES, model);
  const scheduler = createScheduler();
  for (let i = 0; i < workers; i++) {
    scheduler.addWorker(await createWorker(DEFAULT_LANGUAGES.join('+'), OEM.LSTM_ONLY, { ...data, cacheMethod: 'none' }));
  }
  return {
    recognize: async (image) => (await scheduler.addJob('recognize', image)).data.text,
    close: () => scheduler.terminate(),
  };
}
