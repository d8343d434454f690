/**
 * Sorting and ranking of draws without comparator callbacks: an LSD radix sort of the doubles'
 * bit patterns, turned so that unsigned order is numeric order.
 */

/** LSD digits of a 64-bit key as [word, shift, bits]: low word, then high word (0: low, 1: high). */
const DIGITS: readonly (readonly [number, number, number])[] = [
  [0, 0, 11],
  [0, 11, 11],
  [0, 22, 10],
  [1, 0, 10],
  [1, 10, 11],
  [1, 21, 11],
];
/** The quick path sorts on the high word's digits only (sign, exponent, 20 mantissa bits). */
const HIGH_FROM = 3;
const BUCKETS = 1 << 11;
/** Equal high words are insertion-sorted by the low word while that takes at most this many steps per value. */
const FIXUP_BUDGET = 8;

let low = new Int32Array(0);
let high = new Int32Array(0);
let sortedHigh = new Int32Array(0);
let spareHigh = new Int32Array(0);
let spareOrder = new Int32Array(0);
let bits = new Float64Array(0);
let words = new Int32Array(0);
const counts = new Int32Array(DIGITS.length * BUCKETS);

function reserve(n: number): void {
  if (low.length >= n) return;
  const size = Math.max(n, low.length * 2);
  low = new Int32Array(size);
  high = new Int32Array(size);
  sortedHigh = new Int32Array(size);
  spareHigh = new Int32Array(size);
  spareOrder = new Int32Array(size);
  bits = new Float64Array(size);
  words = new Int32Array(bits.buffer);
}

/**
 * Order `order[0..n)` so that `values[order[k]]` ascends (stable: equal values keep their
 * index order). `values` must hold no NaN. Returns `order`.
 */
export function sortOrder(values: Float64Array, n: number, order: Int32Array): Int32Array {
  reserve(n);
  // Locals, not the module's bindings, in the loops: V8 then keeps them in registers.
  const w = words;
  const hiKeys = high;
  const loKeys = low;
  const sortedKeys = sortedHigh;
  const c = counts;
  bits.set(values.subarray(0, n));
  c.fill(0, HIGH_FROM * BUCKETS);
  const first = HIGH_FROM * BUCKETS;
  for (let i = 0; i < n; i++) {
    // Flip negatives entirely and positives' sign bit: unsigned order becomes numeric order.
    const h = w[2 * i + 1];
    const flip = h >> 31;
    const key = h ^ (flip | 0x80000000);
    hiKeys[i] = key;
    sortedKeys[i] = key;
    loKeys[i] = w[2 * i] ^ flip;
    c[first + (key & 0x3ff)]++;
    c[first + BUCKETS + ((key >>> 10) & 0x7ff)]++;
    c[first + 2 * BUCKETS + (key >>> 21)]++;
    order[i] = i;
  }
  // Draws rarely share a high word, so sorting on it and then putting equal ones in order by
  // the low word is usually enough; when they often do (a large offset over small noise),
  // every digit gets its pass.
  sortHighWords(order, n);
  if (!fixupEqualHighs(order, n)) sortAllDigits(order, n);
  return order;
}

/** LSD passes over the high word's digits, moving each key along with its index (sequential reads). */
function sortHighWords(order: Int32Array, n: number): void {
  let keys = sortedHigh;
  let indices = order;
  let nextKeys = spareHigh;
  let nextIndices: Int32Array = spareOrder;
  for (let d = HIGH_FROM; d < DIGITS.length; d++) {
    const [, shift, width] = DIGITS[d];
    const base = d * BUCKETS;
    if (!prefixSums(base, 1 << width, n)) continue;
    carryPass(keys, indices, nextKeys, nextIndices, shift, (1 << width) - 1, base, n);
    const keysDone = nextKeys;
    nextKeys = keys;
    keys = keysDone;
    const indicesDone = nextIndices;
    nextIndices = indices;
    indices = indicesDone;
  }
  if (indices !== order) {
    order.set(indices.subarray(0, n));
    sortedHigh.set(keys.subarray(0, n));
  }
}

function carryPass(keys: Int32Array, indices: Int32Array, nextKeys: Int32Array, nextIndices: Int32Array, shift: number, mask: number, base: number, n: number): void {
  const c = counts;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    const at = c[base + ((key >>> shift) & mask)]++;
    nextKeys[at] = key;
    nextIndices[at] = indices[i];
  }
}

/** Every digit, low word first (the rare path: indices only, keys read through them). */
function sortAllDigits(order: Int32Array, n: number): void {
  const c = counts.fill(0);
  for (let d = 0; d < DIGITS.length; d++) {
    const [word, shift, width] = DIGITS[d];
    const digits = word === 0 ? low : high;
    const mask = (1 << width) - 1;
    const base = d * BUCKETS;
    for (let i = 0; i < n; i++) c[base + ((digits[i] >>> shift) & mask)]++;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  let from = order;
  let to: Int32Array = spareOrder;
  for (let d = 0; d < DIGITS.length; d++) {
    const [word, shift, width] = DIGITS[d];
    const base = d * BUCKETS;
    if (!prefixSums(base, 1 << width, n)) continue;
    const digits = word === 0 ? low : high;
    const mask = (1 << width) - 1;
    for (let i = 0; i < n; i++) {
      const k = from[i];
      to[c[base + ((digits[k] >>> shift) & mask)]++] = k;
    }
    const done = to;
    to = from;
    from = done;
  }
  if (from !== order) order.set(from.subarray(0, n));
}

/** Turn counts into starting offsets; false when one bucket holds everything (nothing to move). */
function prefixSums(base: number, buckets: number, n: number): boolean {
  const c = counts;
  let sum = 0;
  let spread = true;
  for (let b = base; b < base + buckets; b++) {
    const count = c[b];
    if (count === n) spread = false;
    c[b] = sum;
    sum += count;
  }
  return spread;
}

/**
 * Insertion-sort runs of equal high words (in sortedHigh, aligned with `order`) by the low
 * word; false (order then partly changed) as soon as that takes more than FIXUP_BUDGET steps
 * per value.
 */
function fixupEqualHighs(order: Int32Array, n: number): boolean {
  const sortedKeys = sortedHigh;
  const loKeys = low;
  let budget = FIXUP_BUDGET * n;
  for (let i = 1; i < n; i++) {
    const hi = sortedKeys[i];
    if (hi !== sortedKeys[i - 1]) continue;
    const k = order[i];
    // Compare low words as unsigned numbers (xor with the sign bit turns that into signed order).
    const lo = loKeys[k] ^ 0x80000000;
    let j = i - 1;
    while (j >= 0 && sortedKeys[j] === hi && (loKeys[order[j]] ^ 0x80000000) > lo) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = k;
    budget -= i - j;
    if (budget < 0) return false;
  }
  return true;
}

let rankOrder = new Int32Array(0);
let rankValues = new Float64Array(0);
let rankIndex = new Int32Array(0);

/**
 * Ranks 1..n of `values` with ties given their average rank (R's `rank(ties.method = "average")`).
 * NaN values get NaN ranks and are not counted among the others.
 */
export function averageRanks(values: ArrayLike<number>, out: Float64Array = new Float64Array(values.length)): Float64Array {
  const n = values.length;
  if (rankOrder.length < n) {
    rankOrder = new Int32Array(n);
    rankValues = new Float64Array(n);
    rankIndex = new Int32Array(n);
  }
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) out[i] = NaN;
    else {
      rankValues[finite] = v;
      rankIndex[finite++] = i;
    }
  }
  const order = sortOrder(rankValues, finite, rankOrder);
  for (let start = 0; start < finite; ) {
    const v = rankValues[order[start]];
    let end = start + 1;
    while (end < finite && rankValues[order[end]] === v) end++;
    // Ranks start+1..end (1-based) are tied: each gets their mean.
    const rank = (start + end + 1) / 2;
    for (let i = start; i < end; i++) out[rankIndex[order[i]]] = rank;
    start = end;
  }
  return out;
}
