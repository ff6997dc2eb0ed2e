/** Pairwise quality of a linkage against known truth. */
export interface LinkageQuality {
  truePairs: number;
  predictedPairs: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

function pairKey(a: string, b: string): string {
  // "\u0000" cannot occur in an id read from CSV text, so the key is unambiguous.
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Precision, recall and F1 of predicted pairs against true pairs; pairs are unordered, repeats count once.
 * With no predictions precision is 1 (nothing claimed, nothing wrong); with no truth recall is 1.
 */
export function evaluatePairs(predicted: Iterable<readonly [string, string]>, truth: Iterable<readonly [string, string]>): LinkageQuality {
  const trueKeys = new Set<string>();
  for (const [a, b] of truth) if (a !== b) trueKeys.add(pairKey(a, b));
  const predictedKeys = new Set<string>();
  for (const [a, b] of predicted) if (a !== b) predictedKeys.add(pairKey(a, b));
  let truePositives = 0;
  for (const key of predictedKeys) if (trueKeys.has(key)) truePositives++;
  const falsePositives = predictedKeys.size - truePositives;
  const falseNegatives = trueKeys.size - truePositives;
  const precision = predictedKeys.size === 0 ? 1 : truePositives / predictedKeys.size;
  const recall = trueKeys.size === 0 ? 1 : truePositives / trueKeys.size;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePairs: trueKeys.size, predictedPairs: predictedKeys.size, truePositives, falsePositives, falseNegatives, precision, recall, f1 };
}
