/**
 * String similarity measures. Written by hand (not a package) because they run millions of times per
 * batch and must not allocate per call.
 */

let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

function ensureScratch(length: number): void {
  if (matchedA.length < length) {
    matchedA = new Uint8Array(length * 2);
    matchedB = new Uint8Array(length * 2);
  }
}

/** Jaro similarity in [0, 1]; 1 means identical. */
export function jaro(first: string, second: string): number {
  if (first === second) return 1;
  // Greedy matching can depend on argument order in rare cases; a fixed order keeps the measure symmetric.
  const [a, b] = first < second ? [first, second] : [second, first];
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  ensureScratch(Math.max(lengthA, lengthB));
  matchedA.fill(0, 0, lengthA);
  matchedB.fill(0, 0, lengthB);
  const window = Math.max(0, (Math.max(lengthA, lengthB) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lengthB - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < lengthA; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler: Jaro boosted for a shared prefix of up to 4 characters (names are typed front-first). */
export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b);
  if (similarity <= 0.7) return similarity;
  const limit = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), stopping early once the
 * distance exceeds `limit`: we only ever ask "is it at most 1 or 2 edits away?".
 */
export function editDistanceWithin(a: string, b: string, limit: number): number {
  const lengthA = a.length;
  const lengthB = b.length;
  if (Math.abs(lengthA - lengthB) > limit) return limit + 1;
  if (a === b) return 0;
  ensureRows(lengthB + 1);
  // Three rolling rows in reused scratch memory: this runs for several fields of every candidate pair.
  let previousPrevious = rowScratch[0];
  let previous = rowScratch[1];
  let current = rowScratch[2];
  for (let j = 0; j <= lengthB; j++) previous[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    current[0] = i;
    let rowMinimum = i;
    const codeA = a.charCodeAt(i - 1);
    for (let j = 1; j <= lengthB; j++) {
      const codeB = b.charCodeAt(j - 1);
      const cost = codeA === codeB ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && codeA === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === codeB) {
        value = Math.min(value, previousPrevious[j - 2] + 1);
      }
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    const recycled = previousPrevious;
    previousPrevious = previous;
    previous = current;
    current = recycled;
  }
  return Math.min(previous[lengthB], limit + 1);
}

let rowScratch: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

function ensureRows(length: number): void {
  if (rowScratch[0].length < length) rowScratch = [0, 1, 2].map(() => new Int32Array(length * 2));
}
