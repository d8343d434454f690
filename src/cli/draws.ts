import { createWriteStream } from "node:fs";
import { tableToIPC } from "apache-arrow";
import { csvPieces } from "../engine/csv.ts";
import type { ExtractProgress } from "../engine/progress.ts";
import { openPath } from "../engine/store/node.ts";
import { parseDrawsArgs, USAGE } from "./args.ts";
import { runCommand, write } from "./run.ts";
import { statsLine } from "./stats.ts";

await runCommand(USAGE, async (argv, setQuery) => {
  const args = parseDrawsArgs(argv);
  setQuery(args.specs.join(", "));
  const started = performance.now();
  const trace = await openPath(args.store);
  let read: ExtractProgress | undefined;
  const table = await trace.extract(args.specs, { groups: args.groups, onProgress: (p) => (read = p) });
  const out = args.out ? createWriteStream(args.out) : process.stdout;
  if (args.format === "arrow") await write(out, tableToIPC(table, "file"));
  else for (const piece of csvPieces(table)) await write(out, piece);
  if (args.out) await new Promise((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end(resolve).on("error", reject));
  if (args.stats && read) process.stderr.write(`${statsLine(read, table.numRows, performance.now() - started)}\n`);
});
