/**
 * The issuing agency, top left of a Decree 30 header: its lines from the motto's height down to the
 * number, grouped into units (a place-only line, or the rest of a name cut after "VÀ", continues
 * the one above), the last unit the agency and those above its parent body. Written as running
 * text, in full: "UBND TỈNH QUẢNG NAM / SỞ TÀI CHÍNH" is "Sở Tài chính tỉnh Quảng Nam".
 */
import { HELD_BACK, KNOWN_WORD, type ReadField } from './fields.js';
import { capitalShare, field, inLeftHalf, type PageLayout, type Segment } from './layout.js';
import { fixNames, fold, isHeaderWord, nameCase } from './words.js';

/** A line that is only a place: "TỈNH QUẢNG NGÃI" continues the agency's name above it. */
const PLACE_LINE = /^(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|tp\.?)\s/;
/** Where a new unit's name starts: the agency under its parent body. */
const UNIT_START =
  /^(so|phong|ban|van phong|cuc|chi cuc|tong cuc|trung tam|truong|benh vien|thanh tra|vu|vien|uy ban|ubnd|hoi dong|hdnd|bo)\b/;

export function readAgency(
  p: PageLayout,
  motto: Segment,
  numberLine: Segment | undefined,
  page: number,
): { organName?: ReadField; parentOrgan?: ReadField } {
  const top = motto.box.y0 - 1.5 * p.lineHeight;
  const bottom = numberLine ? numberLine.box.y0 : motto.box.y1 + 4 * p.lineHeight;
  const lines = p.segments.filter(
    (s) => inLeftHalf(p, s) && s.box.y0 >= top && s.box.y1 <= bottom + 0.3 * p.lineHeight && capitalShare(s.text) > 0.7,
  );
  if (!lines.length) return {};
  // Lines group into units: a place-only line joins the one above it, and so does the rest of a
  // name cut after "VÀ", a comma or a dash ("PHÒNG TÀI NGUYÊN VÀ / MÔI TRƯỜNG").
  const units: Segment[][] = [];
  const folded = (s: Segment) =>
    fold(s.text)
      .replace(/^[^a-z]+/, '')
      .trim();
  for (const line of lines) {
    const previous = units.at(-1);
    const unfinished = previous && /(\sva|[,-])$/.test(folded(previous.at(-1)!));
    if (previous && (PLACE_LINE.test(`${folded(line)} `) || unfinished)) previous.push(line);
    else units.push([line]);
  }
  const name = (unit: Segment[]) =>
    nameCase(fixNames(unit.map((s) => s.text.replace(/^[^\p{L}]+/u, '')).join(' '))).replace(/[^\p{L}\p{N})]+$/u, '');
  // Words of the closed vocabulary (ỦY BAN NHÂN DÂN, TỈNH, a province) are known however unsure
  // their marks were; a unit that starts with no agency's word ("CHÍNH" of a line half lost) is not.
  const read = (value: string, unit: Segment[]) => {
    const words = unit.flatMap((s) => s.words);
    const sure = words.map((w) => (isHeaderWord(w.text) ? Math.max(w.confidence, 100 * KNOWN_WORD) : w.confidence));
    // A unit that starts with no agency's word ("CHÍNH" of a line half lost) is held back.
    const known = UNIT_START.test(folded(unit[0]!)) ? 1 : HELD_BACK;
    return { ...field(value, unit, page), confidence: Math.min(known, ...sure.map((c) => c / 100)) };
  };
  const own = units.at(-1)!;
  const parent = units.length > 1 ? units.slice(0, -1).flat() : undefined;
  let organ = name(own);
  if (parent) {
    // "UBND TỈNH QUẢNG NAM / SỞ TÀI CHÍNH": the agency's full name takes the parent's place.
    const parentName = name(parent);
    const place = /\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn) .+$/u.exec(parentName)?.[0];
    if (place && !/\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn) /u.test(organ)) organ = `${organ} ${place}`;
    return {
      organName: {
        ...read(organ, [...parent, ...own]),
        confidence: Math.min(read(organ, own).confidence, read(parentName, parent).confidence),
      },
      parentOrgan: read(parentName, parent),
    };
  }
  return { organName: read(organ, own) };
}
