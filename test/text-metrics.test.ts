import { describe, expect, it } from 'vitest';
import { normaliseText } from '../pipeline/ocr/accuracy.js';
import { characterErrorRate, textErrors } from '../pipeline/ocr/index.js';

describe('OCR accuracy metrics (cer.py normalisation)', () => {
  it('compares NFC text with whitespace collapsed', () => {
    expect(normaliseText('Ho\u0302\u0300  so\u031b\n\tđất ')).toBe('Hồ sơ đất');
    expect(characterErrorRate('Hồ sơ đất đai', 'Hồ  sơ\nđất đai')).toBe(0);
  });

  it('counts character and word edits, and ground-truth words missing in any order', () => {
    expect(textErrors('Ủy ban nhân dân tỉnh', 'tỉnh Ủy ban nhân dâm')).toEqual({
      charErrors: 11,
      chars: 20,
      wordErrors: 3,
      words: 5,
      missingWords: 1,
    });
  });
});
