import type { Writable } from "node:stream";
import { UsageError } from "./args.ts";
import { describeError } from "./report.ts";

export async function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
}

/**
 * Run a command: --help prints its usage; an error is printed (with the query, for spec errors)
 * and exits 2, followed by the usage when the command line itself was wrong. --debug (any
 * command) adds the stack of an internal error.
 */
export async function runCommand(usage: string, command: (argv: readonly string[], setQuery: (query: string) => void) => Promise<void>): Promise<void> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is a normal way to stop reading.
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const debug = process.argv.includes("--debug");
  const argv = process.argv.slice(2).filter((a) => a !== "--debug");
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  let query = "";
  try {
    await command(argv, (q) => (query = q));
  } catch (error) {
    process.stderr.write(`${describeError(error, query, debug)}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
    process.exitCode = 2;
  }
}
