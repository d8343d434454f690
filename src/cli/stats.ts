import type { ExtractProgress } from "../engine/progress.ts";
import { megabytes } from "../engine/units.ts";

const count = (n: number, what: string) => `${n.toLocaleString("en")} ${what}${n === 1 ? "" : "s"}`;

/** `--stats`: what a query read and gave, e.g. "read 32 chunks of 1 array, 38.4 MB; 12,000 rows in 0.9 s". */
export function statsLine(read: ExtractProgress, rows: number, ms: number): string {
  return `read ${count(read.chunksDone, "chunk")} of ${count(read.arraysTotal, "array")}, ${megabytes(read.bytesRead)}; ${count(rows, "row")} in ${(ms / 1000).toFixed(1)} s`;
}
