/**
 * Reading a cleaned page, and reading it again another way when the first reading is in doubt.
 * The orientation detector judges by ink alone; on a page it has not seen (a dark bar along one
 * edge, text in one half, shading) it can pick the wrong half turn or a wrong skew, and the page
 * comes out as garbage. Tesseract's own confidence says so: good pages read at 90 and more, wrecked
 * ones at 38–73 (issue 13). So a doubtful page is also read turned and unlevelled, and the most
 * confident reading is kept.
 */
import type { CleanedPage, OrientationCheck, PageAnalysis, PageGeometry, QuarterTurn } from './cleanup/index.js';
import type { OcrEngine, OcrPageResult } from './ocr/index.js';

/** Below this mean word confidence a reading is in doubt. */
const DOUBTFUL_CONFIDENCE = 85;
/** A reading this confident ends the search: the alternatives after it are not read. */
const CONFIDENT = 90;
/** The detector's upright margin on pages of text is 0.3–0.6; under this the half turn is in doubt. */
const DOUBTFUL_UPRIGHT = 0.15;
/** Nor is a quarter turn sure when the chosen orientation's lines are barely sharper than the other's. */
const DOUBTFUL_SIDEWAYS = 2;
/** Below this the page may be sideways, however sure the detector was. */
const SIDEWAYS_CONFIDENCE = 60;
/** An alternative replaces the first reading only when it reads this much more confidently. */
const BETTER_BY = 5;

export interface PageReading {
  ocr: OcrPageResult;
  /** The kept cleaning's analysis, with the orientation check when there was one. */
  analysis: PageAnalysis;
  /** Set when another geometry was kept: the page cleaned that way, its archival image to keep. */
  cleaned?: CleanedPage;
}

/** The page as cleanup left it: its analysis and its OCR copy. */
export interface FirstCleaning {
  analysis: PageAnalysis;
  ocr: { image: Buffer };
}

/**
 * Reads a cleaned page; when in doubt, cleans it again with `reclean` in each alternative geometry
 * and reads that. Deterministic for a given first cleaning, so a retried job decides the same.
 */
export async function readPage(
  engine: OcrEngine,
  first: FirstCleaning,
  reclean: (geometry: PageGeometry) => Promise<CleanedPage>,
): Promise<PageReading> {
  const ocr = await engine.recognize(first.ocr.image);
  const reason = doubt(first.analysis, ocr.confidence);
  if (!reason) return { ocr, analysis: first.analysis };
  const tried: OrientationCheck['tried'] = [{ ...geometryOf(first.analysis), confidence: ocr.confidence }];
  let best: { ocr: OcrPageResult; cleaned?: CleanedPage } = { ocr };
  let kept = 0;
  // The search ends at a reading no longer in doubt: a confident one, or a better one out of doubt.
  const settled = () => best.ocr.confidence >= CONFIDENT || (kept > 0 && best.ocr.confidence >= DOUBTFUL_CONFIDENCE);
  for (const geometry of alternatives(first.analysis, ocr.confidence)) {
    if (settled()) break;
    const cleaned = await reclean(geometry);
    const reading = await engine.recognize(cleaned.ocr.image);
    tried.push({ ...geometry, confidence: reading.confidence });
    if (reading.confidence >= best.ocr.confidence + BETTER_BY) {
      best = { ocr: reading, cleaned };
      kept = tried.length - 1;
    }
  }
  const analysis = best.cleaned?.analysis ?? first.analysis;
  return { ...best, analysis: { ...analysis, orientationCheck: { reason, tried, kept } } };
}

function doubt(analysis: PageAnalysis, confidence: number): string | undefined {
  // Not the detector's line count: a page it turned wrongly or skewed by a bar shows it few lines.
  if (analysis.blank) return undefined;
  if (confidence < DOUBTFUL_CONFIDENCE) return `confidence ${confidence} < ${DOUBTFUL_CONFIDENCE}`;
  if (analysis.detector.upright < DOUBTFUL_UPRIGHT) return `upright margin ${analysis.detector.upright} < ${DOUBTFUL_UPRIGHT}`;
  if (analysis.detector.sideways < DOUBTFUL_SIDEWAYS) return `sideways margin ${analysis.detector.sideways} < ${DOUBTFUL_SIDEWAYS}`;
  return undefined;
}

/**
 * Most likely first: the half turn (the detector's usual mistake), then the page unlevelled (a
 * skew found in shading or a bar), then the quarter turns — unlevelled, as the skew was measured
 * across the lines the detector chose.
 */
function alternatives(analysis: PageAnalysis, confidence: number): PageGeometry[] {
  const { rotation, skew, detector } = analysis;
  const turned = (by: number) => ((rotation + by) % 360) as QuarterTurn;
  const list: PageGeometry[] = [{ rotation: turned(180), skew }];
  if (skew !== 0) list.push({ rotation, skew: 0 });
  if (detector.sideways < DOUBTFUL_SIDEWAYS || confidence < SIDEWAYS_CONFIDENCE)
    list.push({ rotation: turned(90), skew: 0 }, { rotation: turned(270), skew: 0 });
  return list;
}

function geometryOf({ rotation, skew }: PageAnalysis): PageGeometry {
  return { rotation, skew };
}
