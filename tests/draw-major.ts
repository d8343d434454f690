/** Element-major draws of `count` elements (one element's draws after another's) laid out by draw, as jobs take them (stats/draw-rows.ts). */
export function drawMajor(draws: Float64Array, count: number): Float64Array {
  const perElement = count ? draws.length / count : 0;
  const rows = new Float64Array(draws.length);
  for (let e = 0; e < count; e++) for (let d = 0; d < perElement; d++) rows[d * count + e] = draws[e * perElement + d];
  return rows;
}
