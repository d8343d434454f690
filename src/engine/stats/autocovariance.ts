import { fft, fftPlan } from "./fft.ts";

/**
 * Relative cost of one FFT butterfly against one multiply-add of a lag product (measured with
 * V8): sets the lag beyond which the remaining lags are cheaper to get all at once by FFT.
 */
const BUTTERFLY_COST = 5;
/** Lags computed per pass over the chains when computing them directly (the first ones with the centring, in load). */
const LAGS_AT_ONCE = 4;

/** Each chain's plain sum (in order), smallest and largest value, by chain. */
export interface ChainSummary {
  sums: Float64Array;
  mins: Float64Array;
  maxs: Float64Array;
}

/**
 * The chains' mean autocovariance by lag, as posterior computes it (`autocovariance` of each
 * column, averaged over columns): sum over t of (x[t] - m)(x[t + lag] - m), divided by the chain
 * length. Geyer's truncation usually needs only a few dozen lags, so lags are computed directly
 * on demand; when more are asked for than an FFT would cost, all are computed by FFT instead
 * (R always uses the FFT; the two agree to about 1e-13).
 */
export class Autocovariance {
  /** Each chain's mean (a plain sum over the length: matrixStats' colMeans2). */
  chainMeans = new Float64Array(0);
  #centered = new Float64Array(0);
  /** Sums over chains of the lag products, for lags below #known. */
  #lagSums = new Float64Array(0);
  #known = 0;
  #fftFrom = 0;
  #rows = 0;
  #cols = 0;
  #re = new Float64Array(0);
  #im = new Float64Array(0);
  #power = new Float64Array(0);

  /**
   * Take `cols` chains of `rows` values, column after column in `x`, centring each on its mean.
   * The values must be finite (posterior returns NA before it gets here otherwise). `summary`,
   * when given, holds each chain's plain sum, smallest and largest value, summed in order (a
   * caller that has just written the values has them for nothing).
   */
  load(x: Float64Array, rows: number, cols: number, summary?: ChainSummary): void {
    const length = rows * cols;
    if (this.#centered.length < length) this.#centered = new Float64Array(length);
    if (this.#lagSums.length < rows + LAGS_AT_ONCE) this.#lagSums = new Float64Array(rows + LAGS_AT_ONCE);
    if (this.chainMeans.length < cols) this.chainMeans = new Float64Array(cols);
    const centered = this.#centered;
    let squares = 0;
    let lag1 = 0;
    let lag2 = 0;
    let lag3 = 0;
    let lag4 = 0;
    for (let c = 0; c < cols; c++) {
      const start = c * rows;
      const end = start + rows;
      let sum = 0;
      let min = x[start];
      let max = min;
      if (summary) {
        sum = summary.sums[c];
        min = summary.mins[c];
        max = summary.maxs[c];
      } else {
        for (let t = start; t < end; t++) {
          const v = x[t];
          sum += v;
          min = v < min ? v : min;
          max = v > max ? v : max;
        }
      }
      const plainMean = sum / rows;
      this.chainMeans[c] = plainMean;
      if (min === max) {
        // posterior returns zeros for a chain with zero variance.
        centered.fill(0, start, end);
        continue;
      }
      // R corrects the mean by the mean residual; that only matters when the mean is large
      // against the spread (a rounding error in it then is not small against the deviations).
      let mean = plainMean;
      if (Math.abs(plainMean) > max - min) {
        let residual = 0;
        for (let t = start; t < end; t++) residual += x[t] - plainMean;
        mean += residual / rows;
      }
      // The first lags' products come with the centring: each value times the few before it.
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let d4 = 0;
      for (let t = start; t < end; t++) {
        const d = x[t] - mean;
        centered[t] = d;
        squares += d * d;
        lag1 += d * d1;
        lag2 += d * d2;
        lag3 += d * d3;
        lag4 += d * d4;
        d4 = d3;
        d3 = d2;
        d2 = d1;
        d1 = d;
      }
    }
    const sums = this.#lagSums;
    sums[0] = squares;
    sums[1] = lag1;
    sums[2] = lag2;
    sums[3] = lag3;
    sums[4] = lag4;
    this.#known = Math.min(rows, 1 + LAGS_AT_ONCE);
    this.#rows = rows;
    this.#cols = cols;
    const size = fftSize(rows);
    const transforms = Math.ceil(cols / 2) + 1;
    this.#fftFrom = Math.ceil((BUTTERFLY_COST * transforms * (size / 2) * Math.log2(size)) / length);
  }

  /** The mean over chains of the autocovariance at `lag` (0 <= lag < rows). */
  at(lag: number): number {
    if (lag >= this.#known) {
      if (lag >= this.#fftFrom || (this.#known === 1 + LAGS_AT_ONCE && this.#looksLong())) this.#allByFft();
      else while (this.#known <= lag) this.#nextLags();
    }
    return this.#lagSums[lag] / (this.#rows * this.#cols);
  }

  /**
   * Whether Geyer's truncation will likely run past the FFT's break-even lag, judged from the
   * correlation at lag LAGS_AT_ONCE as if the chains were AR(1): their pair sums fall to noise
   * roughly where the correlation falls to 5%. A wrong guess only costs time.
   */
  #looksLong(): boolean {
    const correlation = this.#lagSums[LAGS_AT_ONCE] / this.#lagSums[0];
    if (!(correlation > 0)) return false;
    return (LAGS_AT_ONCE * Math.log(0.05)) / Math.log(correlation) > this.#fftFrom || correlation >= 1;
  }

  /**
   * The next LAGS_AT_ONCE lags, directly: one pass over the chains with a sum per lag, the
   * lagged values rolled through locals so that each is loaded once.
   */
  #nextLags(): void {
    const rows = this.#rows;
    const y = this.#centered;
    const k = this.#known;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let c = 0; c < this.#cols; c++) {
      const start = c * rows;
      const end = start + rows;
      // Products with t + k + 3 inside the chain, then the few that reach its end.
      const full = end - k - 3;
      if (full > start) {
        let w0 = y[start + k];
        let w1 = y[start + k + 1];
        let w2 = y[start + k + 2];
        for (let t = start; t < full; t++) {
          const v = y[t];
          const w3 = y[t + k + 3];
          a0 += v * w0;
          a1 += v * w1;
          a2 += v * w2;
          a3 += v * w3;
          w0 = w1;
          w1 = w2;
          w2 = w3;
        }
      }
      for (let t = Math.max(start, full); t < end - k; t++) {
        const v = y[t];
        const u = t + k;
        a0 += v * y[u];
        if (u + 1 < end) a1 += v * y[u + 1];
        if (u + 2 < end) a2 += v * y[u + 2];
      }
    }
    const sums = this.#lagSums;
    sums[k] = a0;
    sums[k + 1] = a1;
    sums[k + 2] = a2;
    sums[k + 3] = a3;
    this.#known = Math.min(rows, k + LAGS_AT_ONCE);
  }

  /**
   * Every lag by FFT: chains are transformed two at a time as the real and imaginary parts of
   * one signal (zero-padded against wrap-around); the sum of the two chains' power spectra at k
   * is the mean of the packed power at k and at -k. One inverse transform of the summed power
   * gives the lag sums of all chains.
   */
  #allByFft(): void {
    const rows = this.#rows;
    const cols = this.#cols;
    const size = fftSize(rows);
    const plan = fftPlan(size);
    if (this.#re.length < size) {
      this.#re = new Float64Array(size);
      this.#im = new Float64Array(size);
      this.#power = new Float64Array(size);
    }
    const re = this.#re;
    const im = this.#im;
    const power = this.#power.fill(0, 0, size);
    const centered = this.#centered;
    for (let c = 0; c < cols; c += 2) {
      const first = c * rows;
      const second = c + 1 < cols ? first + rows : -1;
      for (let t = 0; t < rows; t++) {
        re[t] = centered[first + t];
        im[t] = second < 0 ? 0 : centered[second + t];
      }
      re.fill(0, rows, size);
      im.fill(0, rows, size);
      fft(re, im, plan);
      for (let k = 0; k < size; k++) {
        const m = (size - k) & (size - 1);
        power[k] += (re[k] * re[k] + im[k] * im[k] + re[m] * re[m] + im[m] * im[m]) / 2;
      }
    }
    for (let k = 0; k < size; k++) {
      re[k] = power[k];
      im[k] = 0;
    }
    fft(re, im, plan, true);
    for (let k = this.#known; k < rows; k++) this.#lagSums[k] = re[k] / size;
    this.#known = rows;
  }
}

/** The smallest power of two holding a chain and its zero padding (2 rows). */
function fftSize(rows: number): number {
  let size = 2;
  while (size < 2 * rows) size <<= 1;
  return size;
}
