/** The browser benches' generated traces: written once by bench/make_store.py under BENCH_DATA, then reused. */
import { spawn } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./browser.ts";

export const BENCH_DATA = "/tmp/drawscope-bench";
const PYTHON = "/usr/bin/python3";

/** A store's folder under BENCH_DATA and make_store.py's arguments for it. */
export interface StoreSpec {
  dir: string;
  args: string[];
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The store's folder, written by make_store.py unless a finished one is there (written aside, then renamed). */
export async function ensureStore(spec: StoreSpec): Promise<string> {
  const path = join(BENCH_DATA, spec.dir);
  if (existsSync(path)) return path;
  const partial = `${path}.partial-${process.pid}`;
  progress(`writing ${path} (once; later runs reuse it)`);
  const code = await new Promise<number | null>((done) => {
    const child = spawn(PYTHON, [join(REPO, "bench/make_store.py"), partial, ...spec.args], { stdio: ["ignore", 2, 2] });
    child.on("error", () => done(null));
    child.on("close", done);
  });
  if (code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`make_store.py failed (exit ${code}): ${PYTHON} needs Debian's python3-zarr and python3-numcodecs`);
  }
  renameSync(partial, path);
  return path;
}
