/**
 * The browser's memory as the machine sees it: the resident memory (VmRSS, from /proc) of every
 * Chromium process this process started — the browser, its renderers (the page and its workers),
 * GPU and utility processes — summed, and sampled often enough to catch a peak.
 */
import { readdirSync, readFileSync } from "node:fs";

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined; // The process ended while we looked.
  }
}

/** Processes descending from this one whose command is Chromium's. */
function chromiumProcesses(): string[] {
  const children = new Map<string, string[]>();
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    // The parent is the field after the command, which is in parentheses and may hold spaces.
    const stat = readProc(pid, "stat");
    const parent = stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
    if (parent) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: string[] = [];
  const queue = [String(process.pid)];
  while (queue.length) {
    for (const child of children.get(queue.pop()!) ?? []) {
      queue.push(child);
      if (/chrom/i.test(readProc(child, "comm") ?? "")) found.push(child);
    }
  }
  return found;
}

/** Summed resident bytes of the Chromium processes now. */
export function chromiumRss(): number {
  let bytes = 0;
  for (const pid of chromiumProcesses()) {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readProc(pid, "status") ?? "")?.[1];
    bytes += Number(kb ?? 0) * 1024;
  }
  return bytes;
}

/** Samples chromiumRss every `intervalMs` and keeps the highest since the last `reset`. */
export class RssPeak {
  #peak = 0;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 100) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Take a sample now; returns it. */
  sample(): number {
    const now = chromiumRss();
    this.#peak = Math.max(this.#peak, now);
    return now;
  }

  /** Start a new peak from the current memory, which is returned. */
  reset(): number {
    this.#peak = 0;
    return this.sample();
  }

  get peak(): number {
    return Math.max(this.#peak, this.sample());
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
