/** A radix-2 complex FFT of a fixed power-of-two size: twiddles and bit reversal computed once. */
export interface FftPlan {
  size: number;
  cos: Float64Array;
  sin: Float64Array;
  reversed: Int32Array;
}

const plans = new Map<number, FftPlan>();

/** The plan for `size` points (a power of two), cached. */
export function fftPlan(size: number): FftPlan {
  let plan = plans.get(size);
  if (plan) return plan;
  const half = size >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  const reversed = new Int32Array(size);
  const levels = Math.log2(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0, v = i; b < levels; b++, v >>= 1) r = (r << 1) | (v & 1);
    reversed[i] = r;
  }
  plan = { size, cos, sin, reversed };
  plans.set(size, plan);
  return plan;
}

/**
 * In-place discrete Fourier transform of (re, im), unnormalised: the forward transform uses
 * e^(-2πi jk/n), the inverse e^(+2πi jk/n) (divide by n yourself).
 */
export function fft(re: Float64Array, im: Float64Array, plan: FftPlan, inverse = false): void {
  const { size, cos, sin, reversed } = plan;
  for (let i = 0; i < size; i++) {
    const j = reversed[i];
    if (j > i) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  // Forward twiddles are e^(-2πik/n): cos - i·sin; the inverse's cos + i·sin.
  const sign = inverse ? 1 : -1;
  for (let length = 2; length <= size; length <<= 1) {
    const half = length >> 1;
    const step = size / length;
    // Twiddle outermost: each is loaded once per stage.
    for (let k = 0; k < half; k++) {
      const wr = cos[k * step];
      const wi = sign * sin[k * step];
      for (let a = k; a < size; a += length) {
        const b = a + half;
        const br = re[b];
        const bi = im[b];
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a];
        const ai = im[a];
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}
