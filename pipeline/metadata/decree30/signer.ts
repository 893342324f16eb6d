/**
 * The signature block that closes a document, right of "Nơi nhận:": the signer's position in
 * capitals ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", the authority first), the signature and seal, then the
 * signer's name. A seal over the position may hide it: then only the name is read.
 */
import { foldVietnamese } from '../../vietnamese.js';
import { heldBack, KNOWN_WORD, type ReadField } from './fields.js';
import { capitalShare, field, inLeftHalf, inRightHalf, type PageLayout, type Segment } from './layout.js';
import { likeness } from './words.js';

export interface Signer {
  signerPosition?: ReadField;
  signerName?: ReadField;
}

/** "TM.", "KT.", "TL.", "TUQ.", "Q." — signing for, in place of, by order of, acting. */
const AUTHORITY = /^(tm|kt|tl|tuq|q)[.,]\s/;

function anchor(p: PageLayout): Segment | undefined {
  const found = p.segments.filter((s) => inLeftHalf(p, s) && likeness(foldVietnamese(s.text).slice(0, 9), 'noi nhan:') >= 0.6);
  return found.at(-1);
}

/** Positions that sign, and the bodies signed for ("TM. ỦY BAN NHÂN DÂN"): a closed list, read through slips. */
// biome-ignore format: a list reads better in rows
const POSITIONS = [
  'CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'TỔNG GIÁM ĐỐC', 'CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG',
  'TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG', 'TRƯỞNG BAN', 'PHÓ TRƯỞNG BAN', 'CỤC TRƯỞNG', 'PHÓ CỤC TRƯỞNG', 'CHI CỤC TRƯỞNG',
  'BỘ TRƯỞNG', 'THỨ TRƯỞNG', 'CHÁNH THANH TRA', 'VIỆN TRƯỞNG', 'HIỆU TRƯỞNG', 'GIÁM ĐỐC SỞ', 'BÍ THƯ',
  'ỦY BAN NHÂN DÂN', 'HỘI ĐỒNG NHÂN DÂN', 'THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN',
];

/** "TL. CHÚTỊCH ." → "TL. CHỦ TỊCH": the authority put right, the position spelled as the list spells it. */
function positionLine(s: Segment): { text: string; known: boolean } {
  const text = s.text.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');
  const authority = /^(TM|KT|TL|TUQ|Q)\s*[.,]\s*/u.exec(text);
  const rest = text.slice(authority?.[0].length ?? 0);
  const best = POSITIONS.map((p) => ({ p, score: likeness(rest, p) })).sort((a, b) => b.score - a.score)[0]!;
  const known = best.score >= 0.8;
  return { text: `${authority ? `${authority[1]}. ` : ''}${known ? best.p : rest}`, known };
}

/** Capitalised words of letters only, two to six: how a name is printed. */
const isName = (text: string) => /^(\p{Lu}\p{Ll}*)(\s\p{Lu}\p{Ll}*){1,5}$/u.test(text);

export function readSigner(p: PageLayout, page: number): Signer {
  const recipients = anchor(p);
  const positionLike = p.segments.filter(
    (s) => inRightHalf(p, s) && AUTHORITY.test(`${foldVietnamese(s.text.replace(/^[^\p{L}]+/u, ''))} `),
  );
  const top = recipients ? recipients.box.y0 - 3 * p.lineHeight : positionLike.at(-1)?.box.y0;
  if (top === undefined) return {};
  const block = p.segments.filter(
    (s) => inRightHalf(p, s) && s.box.y0 >= top && s.box.y0 < top + 0.35 * p.height && /\p{L}{2}/u.test(s.text),
  );
  const positions: Segment[] = [];
  for (const s of block) {
    if (capitalShare(s.text) < 0.8 || s.text.replace(/[^\p{L}]/gu, '').length < 4) continue;
    if (positions.length && s.box.y0 - positions.at(-1)!.box.y1 > 1.5 * p.lineHeight) break;
    positions.push(s);
  }
  const out: Signer = {};
  if (positions.length) {
    const lines = positions.map(positionLine);
    const confidence = Math.min(
      ...lines.map((l, i) => (l.known ? Math.max(positions[i]!.confidence, KNOWN_WORD) : positions[i]!.confidence)),
    );
    out.signerPosition = {
      ...field(lines.map((l) => l.text).join(' / '), positions, page),
      confidence: Math.round(confidence * 100) / 100,
    };
  }
  const below = block.filter((s) => s.box.y0 > (positions.at(-1)?.box.y1 ?? top) && capitalShare(s.text) < 0.8);
  const name = below.at(-1);
  if (name) {
    const text = name.text
      .replace(/[^\p{L}\s]/gu, '')
      .replace(/\s+/g, ' ')
      .trim();
    const read = field(text, [name], page);
    // A name read with its first letter lost under the seal ("hạm Trường Thọ") is shown, never filled.
    if (text.split(' ').length >= 2) out.signerName = isName(text) ? read : heldBack(read);
  }
  return out;
}
