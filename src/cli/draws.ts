import type { RecordBatch } from "apache-arrow";
import { arrowFilePieces, csvBatchPieces, csvHeader, openPath, type ExtractProgress } from "../engine/node.ts";
import { parseDrawsArgs, USAGE } from "./args.ts";
import { openOutputFile, type OutputFile } from "./output-file.ts";
import { runCommand, write } from "./run.ts";
import { statsLine } from "./stats.ts";

/** CSV text of a stream of batches: the header, then each batch's lines as it comes. */
async function* csvOf(schema: RecordBatch["schema"], batches: AsyncIterable<RecordBatch>): AsyncGenerator<string> {
  yield csvHeader(schema);
  for await (const batch of batches) yield* csvBatchPieces(batch);
}

await runCommand(USAGE, async (argv, setQuery) => {
  const args = parseDrawsArgs(argv);
  setQuery(args.specs.join(", "));
  const started = performance.now();
  const trace = await openPath(args.store);
  let read: ExtractProgress | undefined;
  // Batches are written as they are read, each before the next is asked for: memory holds a few
  // chunks and one batch, whatever the size of the output.
  const batches = trace.stream(args.specs, { groups: args.groups, onProgress: (p) => (read = p) });
  const out: Pick<OutputFile, "write" | "close"> = args.out ? await openOutputFile(args.out) : { write: (piece) => write(process.stdout, piece), close: async () => undefined };
  const pieces = args.format === "arrow" ? arrowFilePieces(batches.schema, batches) : csvOf(batches.schema, batches);
  for await (const piece of pieces) await out.write(piece);
  await out.close();
  if (args.stats && read) process.stderr.write(`${statsLine(read, batches.numRows, performance.now() - started)}\n`);
});
