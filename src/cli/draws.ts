import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { tableToIPC } from "apache-arrow";
import { csvPieces } from "../engine/csv.ts";
import { openPath } from "../engine/store/node.ts";
import { parseDrawsArgs, USAGE, UsageError } from "./args.ts";
import { describeError } from "./report.ts";

async function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let query = "";
  try {
    const args = parseDrawsArgs(argv);
    query = args.specs.join(", ");
    const trace = await openPath(args.store);
    const table = await trace.extract(args.specs, { groups: args.groups });
    const out = args.out ? createWriteStream(args.out) : process.stdout;
    if (args.format === "arrow") await write(out, tableToIPC(table, "file"));
    else for (const piece of csvPieces(table)) await write(out, piece);
    if (args.out) await new Promise((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end(resolve).on("error", reject));
    return 0;
  } catch (error) {
    process.stderr.write(`${describeError(error, query)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    return 2;
  }
}

process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  // A closed pipe (`| head`) is a normal way to stop reading.
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
