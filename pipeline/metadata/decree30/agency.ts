/**
 * The issuing agency, top left of a Decree 30 header: its lines from the motto's height down to the
 * number, grouped into units (a place-only line, or the rest of a name cut after "VÀ", continues
 * the one above), the last unit the agency and those above its parent body. Written as running
 * text, in full: "UBND TỈNH QUẢNG NAM / SỞ TÀI CHÍNH" is "Sở Tài chính tỉnh Quảng Nam".
 */
import { foldVietnamese } from '../../vietnamese.js';
import { HELD_BACK, KNOWN_WORD, type ReadField } from './fields.js';
import { capitalShare, field, inLeftHalf, type PageLayout, type Segment, unionBox } from './layout.js';
import { fixNames, isHeaderWord, nameCase, splitPlace, UNIT_WORDS } from './words.js';

/** A line that is only a place: "TỈNH QUẢNG NGÃI" continues the agency's name above it. */
const PLACE_LINE = new RegExp(`^(?:${[...UNIT_WORDS, 'tp\\.?'].map(foldVietnamese).join('|')})\\s`);
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
    foldVietnamese(s.text)
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
  // their marks were; a unit that starts with no agency's word ("CHÍNH" of a line half lost) is held back.
  const read = (unit: Segment[]): ReadField => {
    const sure = unit
      .flatMap((s) => s.words)
      .map((w) => (isHeaderWord(w.text) ? Math.max(w.confidence / 100, KNOWN_WORD) : w.confidence / 100));
    const known = UNIT_START.test(folded(unit[0]!)) ? 1 : HELD_BACK;
    return { ...field(name(unit), unit, page), confidence: Math.min(known, ...sure) };
  };
  const own = read(units.at(-1)!);
  if (units.length === 1) return { organName: own };
  const parent = read(units.slice(0, -1).flat());
  // "UBND TỈNH QUẢNG NAM / SỞ TÀI CHÍNH": the agency's full name takes the parent's place.
  const place = splitPlace(parent.value).place;
  const organ = place && !splitPlace(own.value).place ? `${own.value} ${place}` : own.value;
  return {
    organName: { ...own, value: organ, box: unionBox([parent.box, own.box]), confidence: Math.min(own.confidence, parent.confidence) },
    parentOrgan: parent,
  };
}
