/**
 * OCR accuracy against ground truth, with ../shared/tools/cer.py's normalisation (NFC, collapsed
 * whitespace): CER, WER and the order-free word error (BOW).
 */

import { editDistance } from '../edit-distance.js';

export function normaliseText(text: string): string {
  return text.normalize('NFC').split(/\s+/).filter(Boolean).join(' ');
}

export interface TextErrors {
  /** Character edits, and characters in the ground truth. */
  charErrors: number;
  chars: number;
  wordErrors: number;
  words: number;
  /** Ground-truth words (as a multiset) the hypothesis lacks. */
  missingWords: number;
}

export function textErrors(truth: string, hypothesis: string): TextErrors {
  const gt = normaliseText(truth);
  const hyp = normaliseText(hypothesis);
  const gtWords = gt ? gt.split(' ') : [];
  const hypWords = hyp ? hyp.split(' ') : [];
  const available = new Map<string, number>();
  for (const w of hypWords) available.set(w, (available.get(w) ?? 0) + 1);
  let missingWords = 0;
  for (const w of gtWords) {
    const n = available.get(w) ?? 0;
    if (n > 0) available.set(w, n - 1);
    else missingWords++;
  }
  return {
    charErrors: editDistance([...gt], [...hyp]),
    chars: [...gt].length,
    wordErrors: editDistance(gtWords, hypWords),
    words: gtWords.length,
    missingWords,
  };
}

export function characterErrorRate(truth: string, hypothesis: string): number {
  const e = textErrors(truth, hypothesis);
  return e.charErrors / Math.max(1, e.chars);
}
