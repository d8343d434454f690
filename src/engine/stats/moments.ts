/** R's `.Machine$double.eps`: posterior's `is_constant` tolerance (an absolute one). */
export const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * The mean of values[start..end) as R's `mean` computes it: the sum divided by the count, then
 * corrected by the mean of the residuals (so a constant's mean is exactly that constant).
 */
export function meanOf(values: Float64Array, start = 0, end = values.length): number {
  const n = end - start;
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i];
  let mean = sum / n;
  if (Number.isFinite(mean)) {
    let residual = 0;
    for (let i = start; i < end; i++) residual += values[i] - mean;
    mean += residual / n;
  }
  return mean;
}

/** The sample variance (n - 1 denominator) of values[start..end); NaN for fewer than two values, like R's `var`. */
export function varianceOf(values: Float64Array, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 2) return NaN;
  const mean = meanOf(values, start, end);
  let squares = 0;
  for (let i = start; i < end; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return squares / (n - 1);
}

/**
 * posterior's `should_return_NA`: true when values[0..length) hold a NaN or an infinity, or are
 * constant (max - min below DOUBLE_EPS, an absolute tolerance).
 */
export function returnsNA(values: Float64Array, length: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v !== v) return true;
  }
  if (min === -Infinity || max === Infinity) return true;
  return Math.abs(max - min) < DOUBLE_EPS;
}
