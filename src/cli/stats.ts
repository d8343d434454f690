import { formatCount, megabytes, type ExtractProgress } from "../engine/node.ts";

/** `--stats`: what a query read and gave, e.g. "read 32 chunks of 1 array, 38.4 MB; 12,000 rows in 0.9 s". */
export function statsLine(read: ExtractProgress, rows: number, ms: number): string {
  return `read ${formatCount(read.chunksDone, "chunk")} of ${formatCount(read.arraysTotal, "array")}, ${megabytes(read.bytesRead)}; ${formatCount(rows, "row")} in ${(ms / 1000).toFixed(1)} s`;
}
