/**
 * Issue 14's browser LOO bench: PSIS-LOO of 100,000 observations × 4 × 1,000 draws (3 GiB of
 * log-likelihood, chunks 1×100×10,000, written once by bench/make_store.py --log-likelihood under
 * /tmp/drawscope-bench) in Chromium, the store opened by URL from a loopback server, from the LOO
 * button to the estimates shown: the time, the memory the Chromium processes add (goal: within
 * 1 GiB, streaming over the observations rather than holding them), the longest main-thread task,
 * and the same computation in Node (trace.loo on the folder) as a peer in the same run.
 *
 *   npm run -s bench:loo-browser [-- --timeout=S]
 */
import { startFixtureServer } from "../tests/fixture-server.ts";
import { launchChromium, option, startPreview } from "./browser.ts";
import { RssPeak } from "./chromium-memory.ts";
import { BENCH_DATA, ensureStore, type StoreSpec } from "./stores.ts";

const PORT = 4396;
const OBSERVATIONS = 100_000;
const MEMORY_GOAL = 1 << 30;
const STORE: StoreSpec = {
  dir: "loglik-4x1000x100000-c1x100x10000.zarr",
  args: ["--chunks", "1,100,10000", "--name", "y", "--dim", "obs", "--size", String(OBSERVATIONS), "--index-labels", "--log-likelihood"],
};

const print = (line: string) => process.stdout.write(`${line}\n`);
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

async function inNode(path: string): Promise<{ seconds: number; elpd: number }> {
  const { openPath } = await import("../src/engine/node.ts");
  const start = performance.now();
  const result = await (await openPath(path)).loo();
  return { seconds: (performance.now() - start) / 1000, elpd: result.elpd_loo.estimate };
}

async function main(): Promise<void> {
  const timeout = option("timeout", 600) * 1000;
  const path = await ensureStore(STORE);
  const server = await startFixtureServer(BENCH_DATA, { ranges: true, cors: true });
  const stopPreview = await startPreview(PORT);
  const browser = await launchChromium();
  const memory = new RssPeak();
  let failed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(`
      window.__longtasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push(e.duration); }).observe({ type: "longtask", buffered: true });
    `);
    await page.goto(`http://127.0.0.1:${PORT}/`);
    const url = `http://127.0.0.1:${server.port}/${STORE.dir}`;
    await page.getByRole("textbox", { name: "Store URL" }).fill(url);
    await page.getByRole("button", { name: "Open URL" }).click();
    await page.getByRole("navigation", { name: "Trace" }).filter({ hasText: url }).waitFor({ timeout });
    await page.getByRole("status", { name: "Progress" }).waitFor({ state: "detached", timeout });
    await page.evaluate("window.__longtasks = []");
    const before = memory.reset();
    const start = performance.now();
    await page.getByRole("button", { name: "LOO" }).click();
    const section = page.getByRole("region", { name: "PSIS-LOO" });
    const estimates = section.getByRole("table", { name: "PSIS-LOO estimates" });
    await estimates.or(section.getByRole("alert")).first().waitFor({ timeout });
    const seconds = (performance.now() - start) / 1000;
    const added = memory.peak - before;
    const longest = await page.evaluate<number>("Math.max(0, ...window.__longtasks)");
    if (!(await estimates.count())) throw new Error(`the LOO section says: ${await section.getByRole("alert").textContent()}`);
    const label = await section.locator(".diag-label").textContent();
    const elpd = Number(await estimates.locator("tbody tr").first().locator("td").first().getAttribute("title"));
    print(
      `PSIS-LOO of ${label} in Chromium (opened by URL): ${seconds.toFixed(1)} s, ${gib(added)} added to the browser (goal ≤ ${gib(MEMORY_GOAL)}), longest main-thread task ${longest.toFixed(0)} ms`,
    );
    const node = await inNode(path);
    print(`the same in Node (trace.loo on the folder): ${node.seconds.toFixed(1)} s; browser / Node ${(seconds / node.seconds).toFixed(2)}×`);
    print(`elpd_loo ${elpd.toFixed(3)} in the browser, ${node.elpd.toFixed(3)} in Node${Math.abs(elpd - node.elpd) <= 1e-9 * Math.abs(elpd) ? " (equal)" : " (DIFFERENT)"}`);
    failed = added > MEMORY_GOAL || Math.abs(elpd - node.elpd) > 1e-9 * Math.abs(elpd);
  } finally {
    memory.stop();
    await browser.close();
    stopPreview();
    await server.close();
  }
  process.exit(failed ? 1 : 0);
}

await main();
