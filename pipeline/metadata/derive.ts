/**
 * The Circular 05/2025 fields Sohoa knows from the files themselves: identity and counts, how the
 * record came to be digital (confidenceLevel: scans, born-digital signed PDFs, or both) and the
 * language of its OCR text. A station's own value for a field wins over a derived one.
 */
import { vietnameseWordShare } from '../vietnamese.js';
import type { MetadataRecord, MetadataValue } from './circular05.js';

/** A document's record of fields with the names of those Sohoa derived. */
export interface DerivedRecord {
  values: MetadataRecord;
  derived: string[];
  /** Fields read from the page itself (the Decree 30 layout) sure enough to fill the record. */
  extracted?: string[];
}

/** Fields whose value differs between two records, with both values (null where absent). */
export function changedFields(
  before: MetadataRecord,
  after: MetadataRecord,
): Record<string, { from: MetadataValue | null; to: MetadataValue | null }> {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const same = (a: MetadataValue | undefined, b: MetadataValue | undefined) => JSON.stringify(a) === JSON.stringify(b);
  return Object.fromEntries(
    names.filter((n) => !same(before[n], after[n])).map((n) => [n, { from: before[n] ?? null, to: after[n] ?? null }]),
  );
}

/** The values of a merged record the station gave (every one Sohoa neither derived nor read from the page). */
export function givenValues(record: DerivedRecord): MetadataRecord {
  const sohoa = new Set([...record.derived, ...(record.extracted ?? [])]);
  return Object.fromEntries(Object.entries(record.values).filter(([name]) => !sohoa.has(name)));
}

/** The values of a merged record Sohoa filled, derived or read from the page. */
export function filledValues(record: DerivedRecord): { derived: MetadataRecord; extracted: MetadataRecord } {
  const pick = (names: string[]) => Object.fromEntries(names.map((n) => [n, record.values[n]!]));
  return { derived: pick(record.derived), extracted: pick(record.extracted ?? []) };
}

/** Given values win, then what was read from the page, then what the files tell; the fields Sohoa filled are named. */
export function mergeMetadata(given: MetadataRecord, derived: MetadataRecord, extracted: MetadataRecord = {}): DerivedRecord {
  const open = (record: MetadataRecord) => Object.keys(record).filter((k) => given[k] === undefined);
  const read = open(extracted).sort();
  return {
    values: { ...derived, ...extracted, ...given },
    derived: open(derived).sort(),
    ...(read.length ? { extracted: read } : {}),
  };
}

/** Fewer words than this say nothing of their language (a stamp, a signature page). */
const MIN_WORDS = 5;

/**
 * `vi` when at least 30% of the words carry a Vietnamese letter (running Vietnamese scores above
 * 0.8), otherwise `en`; nothing for a text too short to tell.
 */
export function languagesOfText(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length < MIN_WORDS) return [];
  return vietnameseWordShare(words) >= 0.3 ? ['vi'] : ['en'];
}

/** 01 born-digital (every original a signed PDF), 02 digitized (every one a scan), 03 both. */
export function confidenceLevel(signedOriginals: boolean[]): string {
  if (signedOriginals.length > 0 && signedOriginals.every(Boolean)) return '01';
  return signedOriginals.some(Boolean) ? '03' : '02';
}

/** What a scanned page tells of the paper: its archival image's size, resolution and colour. */
export interface ScanFacts {
  width: number;
  height: number;
  dpi: number;
  colour: 'colour' | 'grey' | 'bilevel';
}

const PAPER_SIZES: [string, number, number][] = [
  ['A5', 148, 210],
  ['A4', 210, 297],
  ['A3', 297, 420],
];
const COLOUR_WORDS: Record<ScanFacts['colour'], string> = { colour: 'màu', grey: 'xám', bilevel: 'đen trắng' };
/** The border crop leaves a little less than the sheet: a size within this share of a paper size is that size. */
const PAPER_TOLERANCE = 0.08;

function paperSize({ width, height, dpi }: ScanFacts): string {
  const [short, long] = [width, height].map((px) => (px / dpi) * 25.4).sort((a, b) => a - b) as [number, number];
  const near = PAPER_SIZES.find(([, w, h]) => Math.abs(short - w) <= w * PAPER_TOLERANCE && Math.abs(long - h) <= h * PAPER_TOLERANCE);
  return near ? near[0] : `${Math.round(short)}×${Math.round(long)} mm`;
}

/**
 * `format` (tình trạng vật lý) as the scan shows it: paper size, colour and resolution, with the
 * page count of each kind when they differ — "A4, màu, 300 dpi" or "A4, đen trắng, 300 dpi (3
 * trang); A3, màu, 300 dpi (1 trang)". Nothing when no page was scanned (a born-digital PDF).
 */
export function scanFormat(scans: ScanFacts[]): string | undefined {
  const kinds = new Map<string, number>();
  for (const scan of scans) {
    const kind = `${paperSize(scan)}, ${COLOUR_WORDS[scan.colour]}, ${Math.round(scan.dpi)} dpi`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  if (kinds.size <= 1) return [...kinds.keys()][0];
  // The circular allows 100 characters: the commonest kinds first, the rest summed up.
  const sorted = [...kinds].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, 2).map(([kind, n]) => `${kind} (${n} trang)`);
  const others = sorted.slice(2).reduce((n, [, count]) => n + count, 0);
  return [...shown, ...(others ? [`khác (${others} trang)`] : [])].join('; ');
}

export interface DocumentFacts {
  dossierCode: string;
  documentNumber: number;
  /** Pages in the document's PDF/A. */
  pages: number;
  signedOriginals: boolean[];
  /** The OCR text of its pages. */
  text: string;
  /** Its scanned pages (a born-digital PDF's pages are not scans). */
  scans: ScanFacts[];
}

export function deriveDocumentMetadata(facts: DocumentFacts): MetadataRecord {
  const languages = languagesOfText(facts.text);
  const format = scanFormat(facts.scans);
  return {
    docId: facts.documentNumber,
    fileCode: facts.dossierCode,
    // Circular 05/2025: the file code and the document's 7-digit number.
    docCode: `${facts.dossierCode}.${String(facts.documentNumber).padStart(7, '0')}`,
    numberOfPage: facts.pages,
    confidenceLevel: confidenceLevel(facts.signedOriginals),
    ...(languages.length ? { language: languages } : {}),
    ...(format ? { format } : {}),
  };
}

/** The dossier's derived fields, from its documents' records and its scanned pages. */
export function deriveDossierMetadata(dossierCode: string, documents: MetadataRecord[], scans: ScanFacts[]): MetadataRecord {
  const levels = new Set(documents.map((d) => d.confidenceLevel).filter((l): l is string => typeof l === 'string'));
  const languages = [...new Set(documents.flatMap((d) => (Array.isArray(d.language) ? d.language : [])))].sort();
  const format = scanFormat(scans);
  return {
    fileCode: dossierCode,
    totalDoc: documents.length,
    numberOfPage: documents.reduce((sum, d) => sum + (typeof d.numberOfPage === 'number' ? d.numberOfPage : 0), 0),
    ...(levels.size ? { confidenceLevel: levels.size === 1 ? [...levels][0]! : '03' } : {}),
    ...(languages.length ? { language: languages } : {}),
    ...(format ? { format } : {}),
  };
}
