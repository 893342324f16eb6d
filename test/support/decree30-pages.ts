/**
 * Generated pages in the layout of Decree 30/2020/NĐ-CP with known fields, made on the fly from a
 * seed: agency (with or without a parent body), number and notation, place and date, type and
 * subject (or an official letter's "V/v"), recipients, body, "Nơi nhận" and the signature block.
 * Each page may carry the slips OCR meets on real ones: "Sô:" or "S6:" for "Số:", spaces inside the
 * notation, a day without its zero, a number or day written by hand (a scribble no OCR reads), the
 * right header column set higher than the left, a slight skew, blur and JPEG noise.
 */
import sharp from 'sharp';
import { xmlText } from './fixtures.js';

/** The fields a page shows, as Sohoa should read them; absent where the page does not show one legibly. */
export interface Decree30Truth {
  organName?: string;
  parentOrgan?: string;
  codeNumber?: string;
  codeNotation?: string;
  issuedDate?: string;
  place?: string;
  typeName?: string;
  subject?: string;
  recipients?: string[];
  signerPosition?: string;
  signerName?: string;
}

export interface GeneratedPage {
  name: string;
  /** `<name>.png` at 300 dpi, `<name>.jpg` below. */
  fileName: string;
  image: Buffer;
  truth: Decree30Truth;
  /** The slips this page carries, for the report. */
  slips: string[];
  /** What the hand-written parts say (the truth leaves them out: no OCR can be asked to read them). */
  handwritten: { codeNumber?: string; issuedDate?: string };
}

type Random = () => number;

function random(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const AGENCIES = [
  { lines: ['ỦY BAN NHÂN DÂN', 'TỈNH QUẢNG NAM'], organ: 'Ủy ban nhân dân tỉnh Quảng Nam', abbr: 'UBND', place: 'Quảng Nam' },
  { lines: ['ỦY BAN NHÂN DÂN', 'PHƯỜNG HẢI CHÂU'], organ: 'Ủy ban nhân dân phường Hải Châu', abbr: 'UBND', place: 'Hải Châu' },
  { lines: ['HỘI ĐỒNG NHÂN DÂN', 'TỈNH BÌNH ĐỊNH'], organ: 'Hội đồng nhân dân tỉnh Bình Định', abbr: 'HĐND', place: 'Bình Định' },
  {
    parent: 'UBND TỈNH QUẢNG NGÃI',
    parentOrgan: 'Ủy ban nhân dân tỉnh Quảng Ngãi',
    lines: ['SỞ TÀI CHÍNH'],
    organ: 'Sở Tài chính tỉnh Quảng Ngãi',
    abbr: 'STC',
    place: 'Quảng Ngãi',
  },
  {
    parent: 'UBND THÀNH PHỐ ĐÀ NẴNG',
    parentOrgan: 'Ủy ban nhân dân thành phố Đà Nẵng',
    lines: ['SỞ KẾ HOẠCH VÀ ĐẦU TƯ'],
    organ: 'Sở Kế hoạch và Đầu tư thành phố Đà Nẵng',
    abbr: 'SKHĐT',
    place: 'Đà Nẵng',
  },
  {
    parent: 'UBND HUYỆN TƯ NGHĨA',
    parentOrgan: 'Ủy ban nhân dân huyện Tư Nghĩa',
    lines: ['PHÒNG TÀI NGUYÊN VÀ', 'MÔI TRƯỜNG'],
    organ: 'Phòng Tài nguyên và Môi trường huyện Tư Nghĩa',
    abbr: 'TNMT',
    place: 'Tư Nghĩa',
  },
] as const;

const TYPES = [
  { title: 'QUYẾT ĐỊNH', name: 'Quyết định', abbr: 'QĐ' },
  { title: 'CHỈ THỊ', name: 'Chỉ thị', abbr: 'CT' },
  { title: 'KẾ HOẠCH', name: 'Kế hoạch', abbr: 'KH' },
  { title: 'THÔNG BÁO', name: 'Thông báo', abbr: 'TB' },
  { title: 'BÁO CÁO', name: 'Báo cáo', abbr: 'BC' },
  { title: 'TỜ TRÌNH', name: 'Tờ trình', abbr: 'TTr' },
  { title: null, name: 'Công văn', abbr: null },
] as const;

const SUBJECTS = [
  ['Về việc tăng cường công tác số hóa hồ sơ, kết quả', 'giải quyết thủ tục hành chính'],
  ['Về việc phê duyệt danh mục hồ sơ lưu trữ năm 2025'],
  ['Về việc triển khai cấp giấy chứng nhận quyền sử dụng đất', 'trên địa bàn'],
  ['Kết quả thực hiện công tác cải cách hành chính', 'quý III năm 2025'],
] as const;

const LETTER_SUBJECTS = [
  ['V/v góp ý dự thảo quy chế', 'quản lý văn bản điện tử'],
  ['V/v báo cáo tình hình tiếp nhận', 'hồ sơ trực tuyến'],
  ['V/v đôn đốc số hóa kết quả', 'giải quyết thủ tục hành chính'],
] as const;

const RECIPIENTS = [
  ['Sở Nội vụ'],
  ['Văn phòng Ủy ban nhân dân tỉnh', 'Sở Thông tin và Truyền thông'],
  ['Các sở, ban, ngành tỉnh', 'Ủy ban nhân dân các huyện, thị xã, thành phố'],
] as const;

/** Who signs, by the kind of agency (its name's first word). */
const SIGNERS: Record<string, readonly (readonly string[])[]> = {
  ỦY: [
    ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'],
    ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
    ['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG'],
  ],
  HỘI: [
    ['TM. HỘI ĐỒNG NHÂN DÂN', 'CHỦ TỊCH'],
    ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH'],
  ],
  SỞ: [['GIÁM ĐỐC'], ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']],
  PHÒNG: [['TRƯỞNG PHÒNG'], ['KT. TRƯỞNG PHÒNG', 'PHÓ TRƯỞNG PHÒNG']],
};
const NAMES = ['Nguyễn Văn Hùng', 'Trần Thị Mai Phương', 'Lê Quốc Bảo', 'Phạm Minh Tuấn', 'Võ Thanh Hải', 'Đặng Thị Thu Hà'];

const BODY = [
  'Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, ' +
    'cơ quan yêu cầu các đơn vị trực thuộc rà soát hồ sơ, tài liệu đang lưu giữ, lập danh mục hồ sơ cần số hóa ' +
    'và báo cáo kết quả thực hiện trước ngày 30 hằng tháng.',
  'Các đơn vị bố trí cán bộ, trang thiết bị quét tài liệu bảo đảm chất lượng bản số hóa theo quy định; ' +
    'hồ sơ sau khi số hóa phải được kiểm tra, đối chiếu với bản giấy và cập nhật vào hệ thống quản lý văn bản.',
  'Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị phản ánh kịp thời để được hướng dẫn, ' + 'giải quyết theo quy định./.',
];

// A4 at 300 dpi, Decree 30's margins: 30 mm left, 15 mm right, 20 mm top.
const WIDTH = 2480;
const HEIGHT = 3508;
const LEFT = 354;
const RIGHT = 2303;
const LEFT_COLUMN = 700;
const RIGHT_COLUMN = 1720;
const FONT = 'Liberation Serif';
const PT = 300 / 72;

interface Text {
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  anchor?: 'start' | 'middle';
}

const svgText = (t: Text) =>
  `<text x="${t.x}" y="${t.y}" font-family="${FONT}" font-size="${Math.round((t.size ?? 13) * PT)}"` +
  `${t.bold ? ' font-weight="bold"' : ''}${t.italic ? ' font-style="italic"' : ''} text-anchor="${t.anchor ?? 'start'}">${xmlText(t.text)}</text>`;

/** A pen's scribble over a box: what a hand-written number looks like to an OCR trained on print. */
function scribble(r: Random, x: number, y: number, w: number): string {
  let d = `M ${x} ${y}`;
  for (let i = 0; i < 5; i++) {
    const px = x + ((i + 1) * w) / 5;
    d += ` C ${px - w / 8} ${y - 40 - r() * 30}, ${px - w / 10} ${y + 20 + r() * 20}, ${px} ${y - 10 + r() * 20}`;
  }
  return `<path d="${d}" fill="none" stroke="#1a2a8a" stroke-width="5" stroke-linecap="round"/>`;
}

function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * One generated page of `seed` (the same seed gives the same page): a 300 dpi PNG, or at another
 * `dpi` a JPEG scaled down to it, as a phone photo or a low-resolution scanner sends.
 */
export async function decree30Page(seed: number, dpi = 300): Promise<GeneratedPage> {
  const r = random(seed);
  const agency = pick(r, AGENCIES);
  const type = pick(r, TYPES);
  const signer = { lines: pick(r, SIGNERS[agency.lines[0]!.split(' ')[0]!]!), name: pick(r, NAMES) };
  const recipients = type.title === null || type.abbr === 'BC' || type.abbr === 'TTr' ? pick(r, RECIPIENTS) : undefined;
  const slips: string[] = [];
  const slip = (name: string, chance: number) => {
    const hit = r() < chance;
    if (hit) slips.push(name);
    return hit;
  };
  const label = slip('label', 0.4) ? pick(r, ['Sô:', 'S6:', 'Số']) : 'Số:';
  const handNumber = slip('handwritten number', 0.2);
  const handDay = slip('handwritten day', 0.2);
  const spacedNotation = slip('spaced notation', 0.3);
  const unpadded = slip('unpadded day', 0.4);
  const rightHigher = slip('right column higher', 0.3);
  const number = String(1 + Math.floor(r() * 1200));
  const year = 2019 + Math.floor(r() * 7);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const two = (n: number) => String(n).padStart(2, '0');
  const notation = type.abbr ? `${type.abbr}-${agency.abbr}` : `${agency.abbr}-VP`;
  const shown = spacedNotation ? ` / ${notation.replace('-', ' - ')}` : ` /${notation}`;

  const texts: Text[] = [];
  const marks: string[] = [];
  const top = 300;
  let y = top;
  if ('parent' in agency) {
    texts.push({ x: LEFT_COLUMN, y, text: agency.parent, size: 12, anchor: 'middle' });
    y += 60;
  }
  for (const line of agency.lines) {
    texts.push({ x: LEFT_COLUMN, y, text: line, bold: true, anchor: 'middle' });
    y += 60;
  }
  marks.push(`<rect x="${LEFT_COLUMN - 120}" y="${y - 40}" width="240" height="4" fill="#000"/>`);
  y += 70;
  const numberY = y;
  if (handNumber) {
    texts.push({ x: LEFT_COLUMN - 300, y, text: label });
    marks.push(scribble(r, LEFT_COLUMN - 170, y - 15, 130));
    texts.push({ x: LEFT_COLUMN - 20, y, text: shown.trim() });
  } else texts.push({ x: LEFT_COLUMN, y, text: `${label} ${number}${shown}`, anchor: 'middle' });
  let leftBottom = y;
  const letter = type.title === null ? pick(r, LETTER_SUBJECTS) : undefined;
  if (letter) {
    y += 70;
    for (const line of letter) {
      texts.push({ x: LEFT_COLUMN, y, text: line, size: 12, anchor: 'middle' });
      y += 55;
    }
    leftBottom = y;
  }

  let ry = top - (rightHigher ? 45 : 0);
  texts.push({ x: RIGHT_COLUMN, y: ry, text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, anchor: 'middle' });
  ry += 60;
  texts.push({ x: RIGHT_COLUMN, y: ry, text: 'Độc lập - Tự do - Hạnh phúc', bold: true, size: 14, anchor: 'middle' });
  marks.push(`<rect x="${RIGHT_COLUMN - 280}" y="${ry + 18}" width="560" height="4" fill="#000"/>`);
  ry = numberY;
  const dayText = unpadded ? String(day) : two(day);
  const monthText = unpadded && month > 2 ? String(month) : two(month);
  if (handDay) {
    texts.push({ x: RIGHT_COLUMN - 430, y: ry, text: `${agency.place}, ngày`, italic: true, size: 14 });
    marks.push(scribble(r, RIGHT_COLUMN + 20, ry - 15, 90));
    texts.push({ x: RIGHT_COLUMN + 130, y: ry, text: `tháng ${monthText} năm ${year}`, italic: true, size: 14 });
  } else {
    texts.push({
      x: RIGHT_COLUMN,
      y: ry,
      text: `${agency.place}, ngày ${dayText} tháng ${monthText} năm ${year}`,
      italic: true,
      size: 14,
      anchor: 'middle',
    });
  }

  y = Math.max(leftBottom, ry) + 150;
  const middle = (LEFT + RIGHT) / 2;
  let subject: readonly string[] | undefined;
  if (type.title) {
    texts.push({ x: middle, y, text: type.title, bold: true, size: 14, anchor: 'middle' });
    y += 65;
    subject = pick(r, SUBJECTS);
    for (const line of subject) {
      texts.push({ x: middle, y, text: line, bold: true, size: 14, anchor: 'middle' });
      y += 62;
    }
    marks.push(`<rect x="${middle - 200}" y="${y - 20}" width="400" height="4" fill="#000"/>`);
    y += 60;
  }
  if (recipients) {
    y += 30;
    if (recipients.length === 1) {
      texts.push({ x: middle, y, text: `Kính gửi: ${recipients[0]}`, size: 14, anchor: 'middle' });
      y += 90;
    } else {
      texts.push({ x: middle - 500, y, text: 'Kính gửi:', size: 14 });
      y += 65;
      for (const to of recipients) {
        texts.push({ x: middle - 260, y, text: `- ${to};`, size: 14 });
        y += 65;
      }
      y += 30;
    }
  }
  for (const paragraph of BODY) {
    for (const [i, line] of wrap(paragraph, 74).entries()) {
      texts.push({ x: i === 0 ? LEFT + 120 : LEFT, y, text: line, size: 14 });
      y += 68;
    }
    y += 20;
  }
  y += 60;
  const closing = y;
  texts.push({ x: LEFT, y, text: 'Nơi nhận:', bold: true, italic: true, size: 12 });
  for (const line of ['- Như trên;', '- Lưu: VT.']) {
    y += 50;
    texts.push({ x: LEFT, y, text: line, size: 11 });
  }
  let sy = closing;
  for (const line of signer.lines) {
    texts.push({ x: RIGHT_COLUMN, y: sy, text: line, bold: true, size: 13, anchor: 'middle' });
    sy += 58;
  }
  marks.push(scribble(r, RIGHT_COLUMN - 160, sy + 90, 300));
  texts.push({ x: RIGHT_COLUMN, y: sy + 260, text: signer.name, bold: true, size: 14, anchor: 'middle' });

  const skew = (r() - 0.5) * 0.8;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#fbfaf6"/>` +
    `<g transform="rotate(${skew.toFixed(2)} ${WIDTH / 2} ${HEIGHT / 2})">${marks.join('')}${texts.map(svgText).join('')}</g></svg>`;
  const scanned = sharp(
    await sharp(Buffer.from(svg))
      .blur(0.8)
      .jpeg({ quality: 60 + Math.floor(r() * 25) })
      .toBuffer(),
  );
  const image =
    dpi === 300
      ? await scanned.withMetadata({ density: 300 }).png().toBuffer()
      : await scanned
          .resize({ width: Math.round((WIDTH * dpi) / 300) })
          .withMetadata({ density: dpi })
          .jpeg({ quality: 75 })
          .toBuffer();

  const truth: Decree30Truth = {
    organName: agency.organ,
    ...('parentOrgan' in agency ? { parentOrgan: agency.parentOrgan } : {}),
    ...(handNumber ? {} : { codeNumber: number }),
    codeNotation: notation,
    ...(handDay ? {} : { issuedDate: `${year}-${two(month)}-${two(day)}` }),
    place: agency.place,
    typeName: type.name,
    subject: (letter ?? subject)!.join(' '),
    ...(recipients ? { recipients: [...recipients] } : {}),
    signerPosition: signer.lines.join(' / '),
    signerName: signer.name,
  };
  const handwritten = {
    ...(handNumber ? { codeNumber: number } : {}),
    ...(handDay ? { issuedDate: `${year}-${two(month)}-${two(day)}` } : {}),
  };
  const name = `decree30-seed${seed}${dpi === 300 ? '' : `-${dpi}dpi`}`;
  return { name, fileName: `${name}.${dpi === 300 ? 'png' : 'jpg'}`, image, truth, slips, handwritten };
}
