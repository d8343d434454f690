/**
 * Issue 12's bench: big traces in the built app in Debian's Chromium (headless, through
 * Playwright), each step timed with the bytes it read, the browser's peak memory and the longest
 * block of the page's main thread, against the floors the issue sets.
 *
 *   npm run -s bench:scale -- [--timeout=S]
 *
 * Two stores are generated once by bench/make_store.py under /tmp/drawscope-bench (and reused):
 * theta (chain, draw, param) = 4×1000×10,000 float64 in chunks of 1×125×1250, and mu (chain, draw,
 * obs) = 4×1000×100,000 (3 GiB decoded) in chunks of 1×100×10,000. A loopback server that records
 * every request serves them to the app, which opens them by URL. The app is driven by its roles and
 * labels only, and a step that fails, is refused or runs past --timeout (default 240 s) is reported
 * as such, so the table compares the app before and after the work on issue 12.
 */
import { existsSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Browser, Page } from "playwright-core";
import { startFixtureServer, type FixtureServer } from "../tests/fixture-server.ts";
import { launchChromium, option, startPreview } from "./browser.ts";
import { RssPeak } from "./chromium-memory.ts";
import { decodeFloor, type DecodeFloor } from "./decode-floor.ts";
import { BENCH_DATA, ensureStore, type StoreSpec } from "./stores.ts";
import { readThetaLayout, type ThetaLayout } from "./theta-store.ts";

const PORT = 4391;
const MB = 1e6;
const GiB = 2 ** 30;

const THETA: StoreSpec = { dir: "theta-4x1000x10000-c1x125x1250.zarr", args: ["--chunks", "1,125,1250"] };
const MU: StoreSpec = {
  dir: "mu-4x1000x100000-c1x100x10000.zarr",
  args: ["--chunks", "1,100,10000", "--name", "mu", "--dim", "obs", "--size", "100000", "--index-labels"],
};

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Page-side probes, installed before the app loads: long tasks, and the task bar's last text. */
const PROBES = `
  window.__bench = { longtasks: [], taskbar: "" };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask", buffered: true });
  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(() => {
      const bar = document.querySelector('[role="status"][aria-label="Progress"]');
      if (bar && bar.textContent) window.__bench.taskbar = bar.textContent;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
`;

/**
 * Resolves once what Enter started has settled: a new alert outside the panels (an error), or
 * every panel showing a figure it did not show before (or its own alert), with the task bar gone;
 * then after the frame that shows it. A query over the memory budget is not settled by its note
 * (which says which panels still summarise it) but by its panels. Text, since tsx would wrap a
 * function's closures.
 */
const SETTLED_AFTER_ENTER = `new Promise((done) => {
  const panels = () => [...document.querySelectorAll('section[aria-label$=" panel"]')];
  const alerts = () => [...document.querySelectorAll('[role="alert"]')].filter((a) => !a.closest('section[aria-label$=" panel"]'));
  const figureName = (panel) => panel.querySelector('figure[aria-label]:not([aria-busy="true"])')?.getAttribute("aria-label") ?? "";
  const alertsBefore = new Map(alerts().map((a) => [a, a.textContent]));
  const figuresBefore = new Map(panels().map((p) => [p, figureName(p)]));
  let start = 0;
  let sawTask = false;
  const observer = new MutationObserver(check);
  document.addEventListener("keydown", (e) => { if (e.key === "Enter") start = e.timeStamp; }, { capture: true, once: true });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  function finish(status) {
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => done({ ms: performance.now() - start, status })));
  }
  function check() {
    if (!start) return;
    if (document.querySelector('[role="status"][aria-label="Progress"]')) { sawTask = true; return; }
    const fresh = alerts().find((a) => alertsBefore.get(a) !== a.textContent && !a.textContent.includes("chunk by chunk"));
    if (fresh) return finish("alert: " + fresh.textContent.trim());
    const shown = panels();
    const settled = (p) => { const name = figureName(p); return (name && name !== figuresBefore.get(p)) || (sawTask && p.querySelector('[role="alert"]')); };
    if (shown.length && shown.every(settled)) {
      finish(shown.map((p) => figureName(p) || "panel alert: " + p.querySelector('[role="alert"]').textContent.trim()).join(" | "));
    }
  }
})`;

/** Resolves once the diagnostics table has finished (or failed, or stopped) after the Diagnostics button's click. */
const DIAGNOSTICS_SETTLED = `new Promise((done) => {
  const start = performance.now();
  let sawRun = false;
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  function finish(status) {
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => done({ ms: performance.now() - start, status })));
  }
  function check() {
    const failed = [...document.querySelectorAll('[role="alert"]')].find((a) => a.textContent.includes("diagnostics could not be computed"));
    if (failed) return finish("alert: " + failed.textContent.trim());
    if (document.querySelector('[aria-label="Diagnostics computed"]')) { sawRun = true; return; }
    if (!sawRun) return;
    const stopped = [...document.querySelectorAll('[role="status"]')].find((s) => s.textContent.startsWith("Stopped after"));
    if (stopped) return finish(stopped.textContent.trim());
    const grid = document.querySelector('[role="grid"][aria-label="Diagnostics rows"]');
    finish(grid ? (Number(grid.getAttribute("aria-rowcount")) - 1).toLocaleString("en-US") + " rows" : "finished, no rows shown");
  }
})`;

interface Settled {
  ms: number;
  status: string;
}

/** One step's figures; `seconds` is missing when it did not finish. */
interface Step {
  label: string;
  status: string;
  seconds?: number;
  servedBytes: number;
  taskbar: string;
  peakRss: number;
  addedRss: number;
  longestBlockMs: number;
}

class Timeout extends Error {}

function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Timeout(`timed out after ${seconds} s`)), seconds * 1000)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The browser, one page of the app, and what a step needs to measure it. */
class Session {
  page!: Page;
  #crashed = false;
  #trace?: string;

  constructor(
    private readonly browser: Browser,
    private readonly server: FixtureServer,
    private readonly memory: RssPeak,
    private readonly timeout: number,
  ) {}

  /** A fresh page (after a timeout or a crash the old one may still be busy), with the trace reopened. */
  async restart(): Promise<void> {
    await this.page?.close().catch(() => undefined);
    this.page = await this.browser.newPage({ viewport: { width: 1280, height: 900 } });
    this.#crashed = false;
    this.page.on("crash", () => (this.#crashed = true));
    await this.page.addInitScript(PROBES);
    await this.page.goto(`http://127.0.0.1:${PORT}/`);
    if (this.#trace) await this.#openTrace(this.#trace);
  }

  storeUrl(spec: StoreSpec): string {
    return `http://127.0.0.1:${this.server.port}/${spec.dir}`;
  }

  /** Open a store by URL, resolving with its status once the trace browser names it (or the open failed). */
  async #openTrace(url: string): Promise<Settled> {
    this.#trace = url;
    const start = performance.now();
    await this.page.getByRole("textbox", { name: "Store URL" }).fill(url);
    await this.page.getByRole("button", { name: "Open URL" }).click();
    const opened = this.page.getByRole("navigation", { name: "Trace" }).filter({ hasText: url });
    const failed = this.page.getByRole("alert").filter({ hasText: "Could not open" });
    await opened.or(failed).first().waitFor({ timeout: 0 });
    await this.page.getByRole("status", { name: "Progress" }).waitFor({ state: "detached", timeout: 0 });
    const ms = performance.now() - start;
    return { ms, status: (await failed.count()) ? `alert: ${await failed.first().textContent()}` : "opened" };
  }

  open(spec: StoreSpec): Promise<Settled> {
    return this.#openTrace(this.storeUrl(spec));
  }

  /** Type a query and press Enter; resolves when SETTLED_AFTER_ENTER does. */
  async enter(query: string): Promise<Settled> {
    const input = this.page.getByRole("combobox", { name: "Query" });
    await input.fill(query);
    await input.press("Escape");
    const settled = this.page.evaluate<Settled>(SETTLED_AFTER_ENTER);
    await input.press("Enter");
    return settled;
  }

  /** Show the diagnostics table (of the trace's first group); resolves when it has finished. */
  async diagnostics(): Promise<Settled> {
    const settled = this.page.evaluate<Settled>(DIAGNOSTICS_SETTLED);
    await this.page.getByRole("button", { name: "Diagnostics", exact: true }).click();
    return settled;
  }

  async closeDiagnostics(): Promise<void> {
    const close = this.page.getByRole("button", { name: "Close diagnostics" });
    if (await close.count()) await close.click();
  }

  /** Keep only the given kinds of panel: remove every panel, then add each by the Panel kind picker. */
  async setPanels(kinds: string[]): Promise<void> {
    const remove = this.page.getByRole("button", { name: /^Remove .+ panel$/ });
    while (await remove.count()) await remove.first().click();
    for (const kind of kinds) {
      await this.page.getByRole("combobox", { name: "Panel kind" }).selectOption({ label: kind });
      await this.page.getByRole("button", { name: "Add panel" }).click();
    }
  }

  /** Run one step, measuring it; a failure, a crash or a timeout becomes its status and a fresh page. */
  async measure(label: string, run: () => Promise<Settled>): Promise<Step> {
    progress(label);
    const servedFrom = this.server.requests.length;
    const before = this.memory.reset();
    const pageStart = await this.page.evaluate<number>("window.__bench.taskbar = '', performance.now()");
    let settled: Settled | undefined;
    let status: string;
    try {
      settled = await withTimeout(run(), this.timeout);
      status = settled.status;
    } catch (error) {
      status = this.#crashed ? "the page crashed" : error instanceof Timeout ? error.message : `failed: ${(error as Error).message.split("\n")[0]}`;
    }
    const peakRss = this.memory.peak;
    const probes = await this.page
      .evaluate<{ longest: number; taskbar: string }>(
        `({ longest: Math.max(0, ...window.__bench.longtasks.filter(([at]) => at >= ${pageStart}).map(([, ms]) => ms)), taskbar: window.__bench.taskbar })`,
      )
      .catch(() => ({ longest: Number.NaN, taskbar: "" }));
    const step: Step = {
      label,
      status,
      seconds: settled && settled.ms / 1000,
      servedBytes: servedBytes(this.server.requests.slice(servedFrom)),
      taskbar: probes.taskbar,
      peakRss,
      addedRss: peakRss - before,
      longestBlockMs: probes.longest,
    };
    if (!settled) await this.restart();
    progress(`  ${status.slice(0, 200)}${step.seconds === undefined ? "" : ` (${step.seconds.toFixed(2)} s)`}`);
    return step;
  }
}

/** Bytes the server sent for these requests (`GET /path [bytes=a-b]`): ranges, or whole files. */
function servedBytes(requests: readonly string[]): number {
  let bytes = 0;
  for (const request of requests) {
    const [method, path, range] = request.split(" ");
    if (method !== "GET") continue;
    const span = /^bytes=(\d+)-(\d+)$/.exec(range ?? "");
    if (span) bytes += Number(span[2]) - Number(span[1]) + 1;
    else {
      const file = join(BENCH_DATA, path);
      if (existsSync(file) && statSync(file).isFile()) bytes += statSync(file).size;
    }
  }
  return bytes;
}

/** The chunk files of a variable whose last index falls in the chunks holding `elements`. */
function chunkFilesHolding(layout: ThetaLayout, elements: number[]): string[] {
  const chunksAlong = new Set(elements.map((e) => Math.floor(e / layout.chunks[2])));
  return layout.chunkFiles.filter((file) => chunksAlong.has(Number(file.split("/").pop()!.split(".")[2])));
}

interface Floors {
  thetaAll: DecodeFloor;
  thetaSelection: DecodeFloor;
  muAll: DecodeFloor;
  muSelection: DecodeFloor;
}

async function measureFloors(theta: ThetaLayout, mu: ThetaLayout): Promise<Floors> {
  progress("two-core decode floors (numcodecs, two processes)");
  return {
    thetaAll: await decodeFloor(theta.chunkFiles, theta.compressor),
    thetaSelection: await decodeFloor(chunkFilesHolding(theta, [1, 2, 3]), theta.compressor),
    muAll: await decodeFloor(mu.chunkFiles, mu.compressor),
    muSelection: await decodeFloor(chunkFilesHolding(mu, [1, 2, 3]), mu.compressor),
  };
}

interface Row {
  step: Step;
  floor?: DecodeFloor;
  /** The issue's goal for this step, and the ratio that tests it. */
  goal?: { text: string; ratio?: number; met?: boolean; missed?: string[] };
}

/** A query step that ended with its panels drawn (not refused, failed or timed out). */
const painted = (step: Step) => step.seconds !== undefined && !/^(alert|failed|timed out|the page crashed)/.test(step.status);

const fixed = (n: number | undefined, digits = 2) => (n === undefined || Number.isNaN(n) ? "" : n.toFixed(digits));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The task bar's last "N MB read" (or the open's metadata bytes). */
function taskbarRead(text: string): string {
  return /([\d.]+ MB) read/.exec(text)?.[1] ?? /metadata: .*· ([\d.]+ MB)/.exec(text)?.[1] ?? "";
}

function report(rows: Row[]): string {
  const header = ["step", "s", "floor s", "MB served", "task bar", "peak GB", "added GB", "block ms", "goal", "ratio", "outcome"];
  const cells = rows.map(({ step, floor, goal }) => [
    step.label,
    fixed(step.seconds),
    fixed(floor?.seconds),
    fixed(step.servedBytes / MB, 1),
    taskbarRead(step.taskbar),
    fixed(step.peakRss / GiB),
    fixed(step.addedRss / GiB),
    fixed(step.longestBlockMs, 0),
    goal?.text ?? "",
    goal?.ratio === undefined ? "" : `${goal.ratio.toFixed(2)} ${goal.met ? "met" : `NOT met${goal.missed ? ` (${goal.missed.join(", ")})` : ""}`}`,
    step.status.length > 110 ? `${step.status.slice(0, 107)}...` : step.status,
  ]);
  return table(header, cells);
}

/** A row that only compares bytes. */
const bytesOnly = (label: string, servedBytes: number): Step => ({
  label,
  status: "",
  servedBytes,
  taskbar: "",
  peakRss: Number.NaN,
  addedRss: Number.NaN,
  longestBlockMs: Number.NaN,
});

const ratioGoal = (text: string, value: number | undefined, limit: number): Row["goal"] => (value === undefined || Number.isNaN(value) ? { text } : { text, ratio: value, met: value <= limit });

const exactly = (ratio: number): Row["goal"] => ({ text: "= 1", ratio, met: Math.abs(ratio - 1) < 0.001 });

/** The issue's bounds on the streaming steps: besides the ratio, ≤ 1 GiB more memory and no block over 100 ms. */
function boundedGoal(text: string, value: number | undefined, limit: number, step: Step): Row["goal"] {
  const goal = ratioGoal(`${text}, ≤ 1 GiB, ≤ 100 ms`, value, limit)!;
  const missed = [...(goal.met === false ? ["ratio"] : []), ...(step.addedRss > GiB ? ["memory"] : []), ...(step.longestBlockMs > 100 ? ["block"] : [])];
  return goal.ratio === undefined ? goal : { ...goal, met: missed.length === 0, missed };
}

async function main(): Promise<void> {
  const timeout = option("timeout", 240);
  const [thetaPath, muPath] = [await ensureStore(THETA), await ensureStore(MU)];
  const [theta, mu] = [readThetaLayout(thetaPath, "posterior/theta"), readThetaLayout(muPath, "posterior/mu")];
  const floors = await measureFloors(theta, mu);

  const server = await startFixtureServer(BENCH_DATA, { ranges: true, cors: true });
  const stopPreview = await startPreview(PORT);
  const browser = await launchChromium();
  const memory = new RssPeak();
  const rows: Row[] = [];
  try {
    const s = new Session(browser, server, memory, timeout);
    await s.restart();
    const openTheta = await s.measure("open theta (4×1000×10,000)", () => s.open(THETA));
    // The selection first, so that no chunk it needs is in the URL store's cache yet.
    const selection = await s.measure("theta[param=p00001|p00002|p00003]", () => s.enter("theta[param=p00001|p00002|p00003]"));
    const whole = await s.measure("theta[param] (40M rows)", () => s.enter("theta[param]"));
    const diag10k = await s.measure("diagnostics of 10k parameters", () => s.diagnostics());
    await s.closeDiagnostics();

    const openMu = await s.measure("open mu (4×1000×100,000)", () => s.open(MU));
    const refusal = await s.measure("mu[obs] (3 GiB): refusal", () => s.enter("mu[obs]"));
    const muSelection = await s.measure("mu[obs=1|2|3]", () => s.enter("mu[obs=1|2|3]"));
    const intervals = await s.measure("Intervals of mu[obs]", async () => {
      await s.setPanels(["Intervals"]);
      return s.enter("mu[obs]");
    });
    const diag100k = await s.measure("diagnostics of 100k parameters", () => s.diagnostics());

    const thetaValueBytes = theta.shape.reduce((a, b) => a * b, 8);
    const selectedBytes = floors.thetaSelection.storedBytes;
    rows.push(
      { step: openTheta },
      { step: whole, floor: floors.thetaAll, goal: ratioGoal("added ≤ 2× values", painted(whole) ? whole.addedRss / thetaValueBytes : undefined, 2) },
      {
        step: selection,
        floor: floors.thetaSelection,
        goal: ratioGoal("≤ 1/5 of whole", painted(selection) && painted(whole) ? selection.seconds! / whole.seconds! : undefined, 0.2),
      },
      { step: bytesOnly("  its bytes ÷ those of the chunks holding it", selection.servedBytes), goal: exactly(selection.servedBytes / selectedBytes) },
      { step: diag10k, floor: floors.thetaAll },
      { step: openMu },
      { step: refusal, goal: ratioGoal("≤ 1 s", refusal.status.includes("budget") ? refusal.seconds : undefined, 1) },
      { step: muSelection, floor: floors.muSelection },
      {
        step: intervals,
        floor: floors.muAll,
        goal: boundedGoal("≤ 3× floor", intervals.status.startsWith("Intervals of") ? intervals.seconds! / floors.muAll.seconds : undefined, 3, intervals),
      },
      {
        step: diag100k,
        floor: floors.muAll,
        goal: boundedGoal("≤ 10× of 10k", / rows$/.test(diag100k.status) && / rows$/.test(diag10k.status) ? diag100k.seconds! / diag10k.seconds! : undefined, 10, diag100k),
      },
    );
  } finally {
    memory.stop();
    await browser.close();
    stopPreview();
    await server.close();
  }
  const floorLine = (name: string, f: DecodeFloor) => `  ${name}: ${fixed(f.seconds)} s for ${fixed(f.storedBytes / MB, 0)} MB stored, ${fixed(f.decodedBytes / MB, 0)} MB decoded`;
  process.stdout.write(
    [
      `Issue 12 scale bench: the built app in Chromium (headless, 1280×900), stores served by URL from loopback; load ${loadavg()[0].toFixed(1)} on 2 cores`,
      `  s: Enter (or click) to settled; MB served: bytes the server sent; task bar: its last "MB read"; peak/added GB: RSS of all Chromium processes (peak, and above the step's start); block ms: longest main-thread task`,
      "",
      report(rows),
      "",
      "Two-core decode floors (numcodecs in two processes, reading left out):",
      floorLine("theta, all 256 chunks", floors.thetaAll),
      floorLine("theta, the 32 chunks holding p00001..p00003", floors.thetaSelection),
      floorLine("mu, all 400 chunks", floors.muAll),
      floorLine("mu, the 40 chunks holding obs 1..3", floors.muSelection),
      "Goals (issue 12): selection ≤ 1/5 of the whole query and exactly its chunks; whole theta[param] adds ≤ 2× its 320 MB of values;",
      "refusal ≤ 1 s; Intervals of mu[obs] ≤ 3× the decode floor and diagnostics of 100k ≤ 10× of 10k, both adding ≤ 1 GiB and never blocking the page > 100 ms.",
      "",
    ].join("\n"),
  );
  // A missed goal fails the bench, so that npm run bench's closing line names it.
  if (rows.some((r) => r.goal && !r.goal.met)) process.exitCode = 1;
}

await main();
