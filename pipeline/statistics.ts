/** Statistics over plain numbers, shared by the page-analysis and OCR steps. */

/**
 * The median of `values`, 0 when there are none. Of an even count's two middle values it takes
 * the upper one, or with `lower` the other.
 */
export function median(values: readonly number[], middle: 'upper' | 'lower' = 'upper'): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[middle === 'upper' ? sorted.length >> 1 : (sorted.length - 1) >> 1]!;
}

/** The value below which half the total weight lies: a median where each value counts by its weight. */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const half = weights.reduce((a, b) => a + b, 0) / 2;
  let seen = 0;
  for (const i of order) {
    seen += weights[i]!;
    if (seen >= half) return values[i]!;
  }
  return 0;
}
