/**
 * The words of a Decree 30 header as OCR gives them: folded for comparison (the marks it drops or
 * swaps — "TĨNH" for "TỈNH", "Sô" for "Số" — must not hide a word), near matches, and the
 * conventional spelling of what was printed in capitals.
 */
import { editDistance } from '../../edit-distance.js';
import { foldVietnamese } from '../../vietnamese.js';

/** 1 for the same folded text (spaces ignored), falling towards 0 with each edit. */
export function likeness(a: string, b: string): number {
  const [x, y] = [foldVietnamese(a).replace(/\s+/g, ''), foldVietnamese(b).replace(/\s+/g, '')];
  if (!x.length && !y.length) return 1;
  return 1 - editDistance(x, y) / Math.max(x.length, y.length);
}

/** The 63 provinces and centrally governed cities of 2008–2025 (the 34 of 2025 are among them). */
// biome-ignore format: a list reads better in rows
const PROVINCES = [
  'An Giang', 'Bà Rịa - Vũng Tàu', 'Bạc Liêu', 'Bắc Giang', 'Bắc Kạn', 'Bắc Ninh', 'Bến Tre', 'Bình Dương',
  'Bình Định', 'Bình Phước', 'Bình Thuận', 'Cà Mau', 'Cao Bằng', 'Cần Thơ', 'Đà Nẵng', 'Đắk Lắk', 'Đắk Nông',
  'Điện Biên', 'Đồng Nai', 'Đồng Tháp', 'Gia Lai', 'Hà Giang', 'Hà Nam', 'Hà Nội', 'Hà Tĩnh', 'Hải Dương',
  'Hải Phòng', 'Hậu Giang', 'Hòa Bình', 'Hồ Chí Minh', 'Hưng Yên', 'Khánh Hòa', 'Kiên Giang', 'Kon Tum',
  'Lai Châu', 'Lạng Sơn', 'Lào Cai', 'Lâm Đồng', 'Long An', 'Nam Định', 'Nghệ An', 'Ninh Bình', 'Ninh Thuận',
  'Phú Thọ', 'Phú Yên', 'Quảng Bình', 'Quảng Nam', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sóc Trăng',
  'Sơn La', 'Tây Ninh', 'Thái Bình', 'Thái Nguyên', 'Thanh Hóa', 'Thừa Thiên Huế', 'Huế', 'Tiền Giang',
  'Trà Vinh', 'Tuyên Quang', 'Vĩnh Long', 'Vĩnh Phúc', 'Yên Bái',
];

const PROVINCE_BY_FOLD = new Map(PROVINCES.map((p) => [foldVietnamese(p).replace(/[\s-]+/g, ''), p]));

/**
 * A province's name as it is spelled, from a reading of it (marks and spaces ignored; one slip
 * allowed with `slips` 1, where the word before says a province's name follows: "Hải Châu", a
 * ward, is one slip from "Lai Châu").
 */
export function province(read: string, slips: 0 | 1 = 1): string | undefined {
  const key = foldVietnamese(read).replace(/[\s-]+/g, '');
  const exact = PROVINCE_BY_FOLD.get(key);
  if (exact || slips === 0) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const [folded, name] of PROVINCE_BY_FOLD) {
    const distance = editDistance(key, folded);
    if (distance <= 1 && folded.length >= 5 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Words that name a level of local government: what follows them is a place name. */
export const UNIT_WORDS = ['thành phố', 'thị xã', 'thị trấn', 'tỉnh', 'huyện', 'quận', 'phường', 'xã', 'đặc khu'];

const PLACE_IN_NAME = new RegExp(`\\s((?:${UNIT_WORDS.join('|')})\\s.+)$`, 'u');

/** A name as running text cut before its place: "Sở Tài chính tỉnh Quảng Ngãi" → "Sở Tài chính", "tỉnh Quảng Ngãi". */
export function splitPlace(name: string): { body: string; place?: string } {
  const m = PLACE_IN_NAME.exec(name);
  return m ? { body: name.slice(0, m.index), place: m[1]! } : { body: name };
}

/** Words that head an agency's name: the name of its field follows, capitalised ("Sở Tài chính"). */
const HEADS = [
  'văn phòng',
  'chi cục',
  'tổng cục',
  'trung tâm',
  'thanh tra',
  'bệnh viện',
  'sở',
  'bộ',
  'phòng',
  'ban',
  'cục',
  'vụ',
  'viện',
  'trường',
].map(foldVietnamese);
/** "Xã hội": a level word that names no place here. */
const NOT_A_PLACE = new Set(['hoi']);
/** Only a province's name is looked up: a commune's may be one slip from a province's. */
const PROVINCE_LEVEL = new Set(['tỉnh', 'thành phố']);

/** Abbreviations a header prints for a whole name. */
const EXPANSIONS: Record<string, string> = {
  ubnd: 'Ủy ban nhân dân',
  hdnd: 'Hội đồng nhân dân',
  tp: 'thành phố',
  'tp.': 'thành phố',
};

/** Vietnamese syllables have a vowel; an abbreviation (KTTH, UBND, TTHC) has none or a run of consonants. */
function isAbbreviation(word: string): boolean {
  const f = foldVietnamese(word).replace(/[^a-z]/g, '');
  return f.length >= 2 && (!/[aeiouy]/.test(f) || /[^aeiouy]{4}/.test(f));
}

const capitalise = (word: string) => word.charAt(0).toLocaleUpperCase('vi') + word.slice(1);

/**
 * A name printed in capitals, spelled as running text: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" →
 * "Ủy ban nhân dân tỉnh Quảng Ngãi", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" → "Sở Kế hoạch và Đầu tư". A place name
 * after a level word is capitalised word by word (a known province spelled as it is spelled); the
 * first word of a name and of each part joined by "và", a comma or a dash is capitalised;
 * abbreviations stay in capitals, UBND and HĐND are written out.
 */
export function nameCase(printed: string): string {
  const words = printed.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let place = false;
  let partStart = true;
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    const expansion = EXPANSIONS[foldVietnamese(raw)];
    if (expansion) {
      out.push(partStart ? capitalise(expansion) : expansion);
      partStart = false;
      place = expansion === 'thành phố';
      continue;
    }
    const next = foldVietnamese(words[i + 1] ?? '');
    const pair = next ? `${foldVietnamese(raw)} ${next}` : '';
    // A head only starts a name: "Môi trường" is not a school.
    const head = out.length ? undefined : (HEADS.find((h) => h === pair) ?? HEADS.find((h) => h === foldVietnamese(raw)));
    if (head) {
      const span = head.split(' ').length;
      out.push(
        capitalise(
          words
            .slice(i, i + span)
            .join(' ')
            .toLocaleLowerCase('vi'),
        ),
      );
      i += span - 1;
      partStart = true;
      continue;
    }
    if (next === 'uy' && ['tinh', 'huyen', 'thanh', 'dang'].includes(foldVietnamese(raw))) {
      out.push(`${capitalise(raw.toLocaleLowerCase('vi'))} ủy`);
      i++;
      place = true;
      continue;
    }
    const unit =
      UNIT_WORDS.find((u) => foldVietnamese(u) === pair) ??
      UNIT_WORDS.find((u) => foldVietnamese(u) === foldVietnamese(raw) && !NOT_A_PLACE.has(next));
    if (unit && !place) {
      out.push(partStart && out.length === 0 ? capitalise(unit) : unit);
      i += unit.split(' ').length - 1;
      place = true;
      partStart = false;
      const rest = words.slice(i + 1).join(' ');
      const known = PROVINCE_LEVEL.has(unit) ? province(rest) : undefined;
      if (known) {
        out.push(known);
        break;
      }
      continue;
    }
    if (isAbbreviation(raw)) {
      out.push(raw.toLocaleUpperCase('vi'));
      partStart = false;
      continue;
    }
    const lower = raw.toLocaleLowerCase('vi');
    out.push(place || partStart ? capitalise(lower) : lower);
    partStart = /[,-]$/.test(raw) || lower === 'và' || lower === '-';
  }
  return out.join(' ');
}

/** Names every header prints the same way: a slip in one of them is a slip, not another name. */
const FIXED_NAMES = ['ỦY BAN NHÂN DÂN', 'HỘI ĐỒNG NHÂN DÂN'];

/** "ỦY BAN NHÂN DẪN" → "ỦY BAN NHÂN DÂN": a fixed name read with a slip or two is put right. */
export function fixNames(printed: string): string {
  let words = printed.split(/\s+/).filter(Boolean);
  for (const name of FIXED_NAMES) {
    const size = name.split(' ').length;
    for (let i = 0; i + size <= words.length; i++) {
      const read = foldVietnamese(words.slice(i, i + size).join(''));
      if (editDistance(read, foldVietnamese(name.replace(/ /g, ''))) <= 2)
        words = [...words.slice(0, i), ...name.split(' '), ...words.slice(i + size)];
    }
  }
  return words.join(' ');
}

const HEADER_WORDS = new Set(
  [...FIXED_NAMES, ...UNIT_WORDS, ...PROVINCES, 'sở', 'phòng', 'ban', 'văn phòng', 'trung tâm']
    .flatMap((w) => foldVietnamese(w).split(/[\s-]+/))
    .filter((w) => w.length >= 2),
);

const LONG_HEADER_WORDS = [...HEADER_WORDS].filter((w) => w.length >= 3);

/**
 * A word of the header's closed vocabulary, as read (one slip allowed in a word of three letters
 * or more): what it says is known whatever the OCR's confidence in its marks.
 */
export function isHeaderWord(word: string): boolean {
  const f = foldVietnamese(word).replace(/[^a-z]/g, '');
  if (HEADER_WORDS.has(f)) return true;
  return f.length >= 3 && LONG_HEADER_WORDS.some((w) => editDistance(f, w) <= 1);
}
