/**
 * The standard normal CDF, Φ(z) = erfc(-z/√2) / 2, to about 1e-13 relative: erf's Taylor series
 * near 0 and erfc's continued fraction (Lentz's method) in the tails, where the series would lose
 * digits and 1 - erf would lose all of them.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = -z / Math.SQRT2;
  return Math.abs(x) < 2 ? (1 - erfSeries(x)) / 2 : x > 0 ? erfcTail(x) / 2 : 1 - erfcTail(-x) / 2;
}

/** erf(x) by its Taylor series: 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)), for |x| < 2. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(x) for x >= 2 by its continued fraction, exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))). */
function erfcTail(x: number): number {
  if (x === Infinity) return 0;
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
