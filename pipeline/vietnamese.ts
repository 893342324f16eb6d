/** Facts of the Vietnamese script that OCR and search both rely on. */

/** Vietnamese letters with diacritics, lower case (đ included). */
export const VIETNAMESE_LETTERS = 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ';

const VIETNAMESE_LETTER = new RegExp(`[${VIETNAMESE_LETTERS}]`, 'iu');
const ANY_LETTER = /\p{L}/u;

/**
 * Share of the words holding a letter that hold a Vietnamese letter with a diacritic. Vietnamese
 * running text scores above 0.8 (most syllables carry a mark), English read by the Vietnamese
 * model under 0.1 (a stray mark now and then).
 */
export function vietnameseWordShare(words: readonly string[]): number {
  let lettered = 0;
  let vietnamese = 0;
  for (const word of words) {
    if (!ANY_LETTER.test(word)) continue;
    lettered++;
    if (VIETNAMESE_LETTER.test(word.normalize('NFC'))) vietnamese++;
  }
  return lettered ? vietnamese / lettered : 0;
}

/**
 * Lower case, tone and vowel marks taken off, đ as d: what two spellings of one word share (typed
 * without diacritics, or read by OCR with a mark dropped or swapped — "TĨNH" for "TỈNH").
 */
export function foldVietnamese(text: string): string {
  return text
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}
