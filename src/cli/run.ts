import type { Writable } from "node:stream";
import { isDrawscopeError, NETWORK_TIMEOUTS } from "../engine/node.ts";
import { describeError } from "./report.ts";

export async function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
}

/**
 * Run a command: --help prints its usage; an error is printed (with the query, for spec errors)
 * and exits 2, followed by the usage when the command line itself was wrong. Any command takes
 * --debug (the stack of an internal error) and --timeout SECONDS (how long a server may take to
 * answer, or to send more of an answer; 30 s unless given).
 */
export async function runCommand(usage: string, command: (argv: readonly string[], setQuery: (query: string) => void) => Promise<void>): Promise<void> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is a normal way to stop reading.
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const debug = process.argv.includes("--debug");
  let argv = process.argv.slice(2).filter((a) => a !== "--debug");
  const timeout = argv.indexOf("--timeout");
  if (timeout >= 0) {
    const seconds = Number(argv[timeout + 1]);
    if (!(seconds > 0)) {
      process.stderr.write(`error: --timeout takes the seconds a server may take to answer or to send more, e.g. --timeout 60\n`);
      process.exitCode = 2;
      return;
    }
    NETWORK_TIMEOUTS.connectMs = NETWORK_TIMEOUTS.idleMs = seconds * 1000;
    argv = [...argv.slice(0, timeout), ...argv.slice(timeout + 2)];
  }
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  let query = "";
  try {
    await command(argv, (q) => (query = q));
  } catch (error) {
    process.stderr.write(`${describeError(error, query, debug)}\n`);
    if (isDrawscopeError(error, "usage")) process.stderr.write(`\n${usage}\n`);
    process.exitCode = 2;
  }
}
