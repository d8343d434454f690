import { varianceOf } from "./moments.ts";

let chainMeans = new Float64Array(0);

/**
 * The potential scale reduction of `cols` chains of `rows` draws (column after column in `x`)
 * as posterior 1.4's internal `.rhat` computes it: sqrt((B/W + n - 1) / n) with B the between-
 * and W the mean within-chain variance, for draws the caller knows to be finite and not constant
 * (posterior gives NA otherwise); NaN for one draw per chain, or a single chain.
 */
export function rhatOfCheckedChains(x: Float64Array, rows: number, cols: number): number {
  if (rows < 2 || cols < 2) return NaN;
  if (chainMeans.length < cols) chainMeans = new Float64Array(cols);
  let withinSum = 0;
  for (let c = 0; c < cols; c++) {
    const start = c * rows;
    // matrixStats' colMeans2 (a plain sum) and colVars around it: mean square times n / (n - 1).
    let sum = 0;
    for (let t = start; t < start + rows; t++) sum += x[t];
    const mean = sum / rows;
    chainMeans[c] = mean;
    let squares = 0;
    for (let t = start; t < start + rows; t++) {
      const d = x[t] - mean;
      squares += d * d;
    }
    withinSum += (squares / rows) * (rows / (rows - 1));
  }
  const between = rows * varianceOf(chainMeans, 0, cols);
  const within = withinSum / cols;
  return Math.sqrt((between / within + rows - 1) / rows);
}
