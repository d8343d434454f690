/**
 * Lines end to end in columns for one Plot line mark: `z` numbers each point's line, so Plot
 * draws one path per line from a single set of typed arrays (no row objects).
 */
export function joinedLines(lines: readonly { x: Float64Array; y: Float64Array }[]): { length: number; x: Float64Array; y: Float64Array; z: Int32Array } {
  const length = lines.reduce((a, l) => a + l.x.length, 0);
  const x = new Float64Array(length);
  const y = new Float64Array(length);
  const z = new Int32Array(length);
  let at = 0;
  lines.forEach((line, id) => {
    x.set(line.x, at);
    y.set(line.y, at);
    z.fill(id, at, at + line.x.length);
    at += line.x.length;
  });
  return { length, x, y, z };
}
