/**
 * Exact decimal to double conversion for parsers that have already gathered a number's digits:
 * the value w × 10^q, correctly rounded (ties to even) as `Number(text)` would give it, without
 * making a string. CmdStan prints draws with up to 18 significant digits (sig_figs), more than a
 * double holds exactly, so the classic fast path (both factors exact, one rounding) rarely
 * applies; the Eisel–Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second", 2021)
 * rounds correctly from the 64 leading bits of a power of five. JavaScript has no 64-bit
 * integers, so the 64 × 64-bit product is done in 24-bit limbs, each partial product and column
 * sum exact in a double. The few inputs the algorithm needs more bits for (the product's
 * deciding bits all ones, about one in 512) and subnormal results give INEXACT. Most draws are
 * w / 10^k for k ≤ 22; for them a quotient checked by its exact remainder is cheaper, and tried first.
 */

/** Returned when this module cannot vouch for the exact value: parse the text instead. */
const INEXACT = Number.NaN;

const SMALLEST_POWER = -342;
const LARGEST_POWER = 308;
const TWO_16 = 2 ** 16;
const TWO_24 = 2 ** 24;
const TWO_32 = 2 ** 32;
const INVERSE_TWO_32 = 2 ** -32;

/** 10^0 … 10^22: every one exactly a double. */
export const EXACT_POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** 2^(e − 1075) at index e, for biased exponents e = 1 … 2046: scales a 53-bit integer mantissa. */
const POWERS_OF_TWO = (() => {
  const table = new Float64Array(2047);
  let p = 2 ** -1074;
  for (let e = 1; e < 2047; e++, p *= 2) table[e] = p;
  return table;
})();

let powersOfFive: Float64Array | undefined;

/**
 * For q = −342 … 308, the 64 leading bits of 5^q (for q < 0, of 2^b / 5^−q rounded up, as
 * Lemire's table has them) as three limbs of 24, 24 and 16 bits, least significant first.
 */
function fivePowers(): Float64Array {
  if (powersOfFive) return powersOfFive;
  const table = new Float64Array((LARGEST_POWER - SMALLEST_POWER + 1) * 3);
  const bits = (n: bigint) => n.toString(2).length;
  for (let q = SMALLEST_POWER; q <= LARGEST_POWER; q++) {
    let c: bigint;
    if (q < 0) {
      const five = 5n ** BigInt(-q);
      const z = bits(five);
      c = (1n << BigInt(q >= -27 ? z + 127 : 2 * z + 128)) / five + 1n;
    } else {
      c = 5n ** BigInt(q);
    }
    const length = bits(c);
    const high = (length > 64 ? c >> BigInt(length - 64) : c << BigInt(64 - length)) & 0xffffffffffffffffn;
    const at = (q - SMALLEST_POWER) * 3;
    table[at] = Number(high & 0xffffffn);
    table[at + 1] = Number((high >> 24n) & 0xffffffn);
    table[at + 2] = Number(high >> 48n);
  }
  powersOfFive = table;
  return table;
}

/**
 * The double nearest to w × 10^q, where w = hi × 2^32 + lo is an integer below 2^64 holding at
 * most 19 significant decimal digits; INEXACT when this cannot be decided here.
 */
function eiselLemire(hi: number, lo: number, q: number): number {
  if ((hi === 0 && lo === 0) || q < SMALLEST_POWER) return 0;
  if (q > LARGEST_POWER) return Infinity;
  // Normalise w so its top bit is set.
  const lz = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
  if (lz >= 32) {
    hi = lo << (lz - 32);
    lo = 0;
  } else if (lz > 0) {
    hi = (hi << lz) | (lo >>> (32 - lz));
    lo <<= lz;
  }
  const w0 = lo & 0xffffff;
  const w1 = (lo >>> 24) + (hi & 0xffff) * 256;
  const w2 = hi >>> 16;
  const table = powersOfFive ?? fivePowers();
  const at = (q - SMALLEST_POWER) * 3;
  const t0 = table[at];
  const t1 = table[at + 1];
  const t2 = table[at + 2];
  // The 128-bit product in 24-bit limbs r0 … r5; each column is below 2^51.
  let c = w0 * t0;
  let carry = Math.floor(c / TWO_24);
  const r0 = c - carry * TWO_24;
  c = w0 * t1 + w1 * t0 + carry;
  carry = Math.floor(c / TWO_24);
  const r1 = c - carry * TWO_24;
  c = w0 * t2 + w1 * t1 + w2 * t0 + carry;
  carry = Math.floor(c / TWO_24);
  const r2 = c - carry * TWO_24;
  c = w1 * t2 + w2 * t1 + carry;
  carry = Math.floor(c / TWO_24);
  const r3 = c - carry * TWO_24;
  c = w2 * t2 + carry;
  // Bits 96–127 and 64–95 of the product.
  const upper = c >>> 0;
  const r2High = Math.floor(r2 / TWO_16);
  const lower = (r3 * 256 + r2High) >>> 0;
  // The low word of the power would decide these bits: leave them to the text.
  if ((lower & 0x1ff) === 0x1ff) return INEXACT;
  const upperBit = upper >>> 31;
  const shift = upperBit + 9;
  // The mantissa (54 bits) as a 22-bit high part and a 32-bit low part.
  let mHigh = upper >>> shift;
  let mLow = ((upper << (32 - shift)) | (lower >>> shift)) >>> 0;
  let power2 = ((217706 * q) >> 16) + 63 + upperBit - lz + 1023;
  if (power2 <= 0) return INEXACT;
  const lowAtMostOne = r2 - r2High * TWO_16 === 0 && r1 === 0 && r0 <= 1;
  // Exactly halfway between two doubles (possible only for these q): round to even, not up.
  if (lowAtMostOne && q >= -4 && q <= 23 && (mLow & 3) === 1 && (lower & ((1 << shift) - 1)) === 0) mLow -= 1;
  if (mLow & 1) {
    mLow = (mLow + 1) >>> 0;
    if (mLow === 0) mHigh += 1;
  }
  mLow = ((mHigh & 1) * 2 ** 31 + (mLow >>> 1)) >>> 0;
  mHigh >>>= 1;
  if (mHigh >= 1 << 21) {
    mHigh = 1 << 20;
    mLow = 0;
    power2 += 1;
  }
  if (power2 >= 0x7ff) return Infinity;
  return (mHigh * TWO_32 + mLow) * POWERS_OF_TWO[power2];
}

/** Dekker's splitter: a double times it splits into two halves of 26 bits. */
const SPLITTER = 2 ** 27 + 1;
const split = (a: number) => {
  const c = SPLITTER * a;
  return c - (c - a);
};
const POWER_HIGHS = EXACT_POWERS_OF_TEN.map(split);
const POWER_LOWS = EXACT_POWERS_OF_TEN.map((p, k) => p - POWER_HIGHS[k]);
const INVERSE_POWERS = EXACT_POWERS_OF_TEN.map((p) => 1 / p);
/** How far a remainder is nudged, relatively, to see whether its rounding could go the other way. */
const NUDGE = 2 ** -30;

/**
 * The double nearest to (wh + wl) / 10^k (k = 1 … 22, wh + wl exact, |wl| small), or NaN when the
 * quotient is too near a rounding boundary to decide here. The quotient s = wh × 10^-k is within
 * two ulps; the exact remainder w − s·10^k (Dekker's product, no fused multiply-add needed) gives
 * the correction t, and s + t rounds to the answer unless nudging t by 2^-30 of itself changes
 * that rounding — far more than t's own error, so an unchanged rounding is the exact one.
 */
function nearestQuotient(wh: number, wl: number, k: number): number {
  const power = EXACT_POWERS_OF_TEN[k];
  const s = wh * INVERSE_POWERS[k];
  const sHigh = split(s);
  const sLow = s - sHigh;
  const p = s * power;
  const e = sHigh * POWER_HIGHS[k] - p + sHigh * POWER_LOWS[k] + sLow * POWER_HIGHS[k] + sLow * POWER_LOWS[k];
  const t = (wh - p - e + wl) * INVERSE_POWERS[k];
  const result = s + t;
  return s + t * (1 + NUDGE) === result && s + t * (1 - NUDGE) === result ? result : Number.NaN;
}

/**
 * Write into out[at] the double nearest to ±w × 10^q for an integer w of at most 19 digits given
 * as `approximate` (within 2^31 of it, as digits gathered in a double are) and its exact low 32
 * bits `lowWord`. Returns false, writing nothing, when the value must be read from the text.
 * Writing, not returning, the double keeps the caller's hot loop from boxing it.
 */
export function writeDecimal(out: Float64Array, at: number, negative: boolean, approximate: number, lowWord: number, q: number): boolean {
  // The high word is an integer, and `approximate` is far closer to it than half a unit: round.
  const hi = Math.floor((approximate - lowWord) * INVERSE_TWO_32 + 0.5);
  let value = Number.NaN;
  if (q < 0 && q >= -22) {
    const wh = hi * TWO_32 + lowWord;
    value = nearestQuotient(wh, lowWord - (wh - hi * TWO_32), -q);
  }
  if (value !== value) value = eiselLemire(hi, lowWord, q);
  if (value !== value) return false;
  out[at] = negative ? -value : value;
  return true;
}
