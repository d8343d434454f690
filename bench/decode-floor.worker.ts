/**
 * One core's share of a two-core decode floor, in a process of its own:
 *
 *   node --import tsx bench/decode-floor.worker.ts STORE VARIABLE PART PARTS
 *
 * Decodes every PARTS-th chunk file of VARIABLE (from the PART-th) with the codec its metadata
 * names, one at a time, dropping each (so a 3 GiB variable needs no 3 GiB), and prints one JSON
 * line: the seconds spent decoding (reading the files is left out, as in extract.worker.ts's
 * floor), the chunks, and the bytes decoded.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { makeCodec, readThetaLayout } from "./theta-store.ts";

export interface FloorShare {
  seconds: number;
  chunks: number;
  bytes: number;
}

async function main(): Promise<void> {
  const [store, variable, part, parts] = process.argv.slice(2);
  if (!store || !variable || !(Number(parts) >= 1) || !(Number(part) >= 0)) {
    throw new Error("usage: decode-floor.worker.ts STORE VARIABLE PART PARTS");
  }
  const layout = readThetaLayout(store, variable);
  const codec = makeCodec(layout.compressor);
  const share: FloorShare = { seconds: 0, chunks: 0, bytes: 0 };
  for (let i = Number(part); i < layout.chunkFiles.length; i += Number(parts)) {
    const compressed = readFileSync(layout.chunkFiles[i]);
    const start = performance.now();
    const decoded = await codec.decode(compressed);
    share.seconds += (performance.now() - start) / 1000;
    share.chunks++;
    share.bytes += decoded.byteLength;
  }
  process.stdout.write(`${JSON.stringify(share)}\n`);
}

await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
