/**
 * The diagnostics table over 100,000 elements, in the built app in Debian's Chromium (headless,
 * through Playwright): how smoothly it scrolls with the wheel (frame times), and how long a sort
 * and a regex filter over all rows take to show.
 *
 *   tsx bench/summary-table.bench.ts [--elements=N] [--chains=C] [--draws=D] [--wheels=N] [--port=P]
 *
 * The store (`theta[param]`, by default 100,000 elements of 2 chains × 16 draws; `--elements=10000
 * --chains=4 --draws=1000` times the table in the browser) is generated in a temporary folder;
 * the app is built into a temporary folder too, so `dist/` and other runs are left alone.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { writeWideStore } from "../e2e/wide-store.ts";
import { launchChromium, option, quantile, REPO, startPreview } from "./browser.ts";

const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * Scroll the grid with `wheels` wheel events of 100 px, one per 16 ms, and return the intervals
 * between the frames painted meanwhile (requestAnimationFrame timestamps), and how far it went.
 */
async function wheelFrames(page: Page, wheels: number): Promise<{ frames: number[]; scrolled: number; domRows: number }> {
  const grid = page.getByRole("grid", { name: "Diagnostics rows" });
  await grid.hover();
  // Passed as text: tsx would wrap a function's inner closures in a helper the page does not have.
  await page.evaluate(`(() => {
    const times = [];
    window.__frames = times;
    window.__recording = true;
    const tick = (t) => { times.push(t); if (window.__recording) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  for (let i = 0; i < wheels; i++) {
    await page.mouse.wheel(0, 100);
    await new Promise((r) => setTimeout(r, 16));
  }
  await page.waitForTimeout(200);
  const times = await page.evaluate<number[]>(`(window.__recording = false, window.__frames)`);
  const frames = times.slice(1).map((t, k) => t - times[k]);
  const scrolled = await page.locator(".diag-scroll").evaluate((box) => box.scrollTop);
  const domRows = await grid.locator("tbody tr:not(.diag-spacer)").count();
  return { frames, scrolled, domRows };
}

/**
 * Run `action` and resolve with ms from its `event` (a click, an input) to the end of the frame
 * after `done` holds in the page.
 */
async function timeToFrame(page: Page, event: string, action: () => Promise<void>, done: string): Promise<number> {
  const measured = page.evaluate<number>(`new Promise((resolve) => {
    document.addEventListener(${JSON.stringify(event)}, (e) => {
      const start = e.timeStamp;
      const check = () => (${done}) ? requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start))) : requestAnimationFrame(check);
      check();
    }, { capture: true, once: true });
  })`);
  await action();
  return measured;
}

async function main(): Promise<void> {
  const elements = option("elements", 100_000);
  const chains = option("chains", 2);
  const draws = option("draws", 16);
  const wheels = option("wheels", 200);
  const port = option("port", 4337);
  const dist = mkdtempSync(join(tmpdir(), "drawscope-summary-bench-"));
  const build = spawnSync("npx", ["vite", "build", "--outDir", dist, "--logLevel", "warn"], { cwd: REPO, stdio: "inherit" });
  if (build.status !== 0) throw new Error("vite build failed");
  const store = writeWideStore(elements, chains, draws);
  const stop = await startPreview(port, dist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    const chooser = page.waitForEvent("filechooser");
    await page.getByRole("button", { name: "Open folder" }).click();
    await (await chooser).setFiles(store);
    await page.getByRole("navigation", { name: "Trace" }).getByText("wide.zarr").waitFor();

    const total = `${elements.toLocaleString("en-US")} elements`;
    const started = performance.now();
    await page.getByRole("button", { name: "Diagnostics", exact: true }).click();
    await page.locator(".diag-counts", { hasText: total }).waitFor({ timeout: 300_000 });
    await page.getByRole("progressbar", { name: "Diagnostics computed" }).waitFor({ state: "detached" });
    const computed = performance.now() - started;

    // A first, unmeasured scroll warms up the JIT.
    await wheelFrames(page, 30);
    const { frames, scrolled, domRows } = await wheelFrames(page, wheels);
    const sorted = frames.toSorted((a, b) => a - b);

    const sortMs = await timeToFrame(
      page,
      "click",
      () => page.getByRole("columnheader", { name: "R-hat" }).getByRole("button").click(),
      `document.querySelector('th[aria-sort="ascending"]')?.textContent.startsWith("R-hat")`,
    );
    const filterMs = await timeToFrame(
      page,
      "input",
      () => page.getByRole("searchbox", { name: "Filter" }).fill("^theta\\[9\\d*7\\]$"),
      `document.querySelector('.diag-table')?.getAttribute('aria-rowcount') !== "${elements + 1}"`,
    );

    process.stdout.write(
      [
        `Diagnostics table of ${total} (${chains} chains × ${draws} draws each), Chromium headless, 1280×900`,
        `  computed and streamed in: ${(computed / 1000).toFixed(1)} s`,
        `  wheel scrolling, ${wheels} events of 100 px (${scrolled.toLocaleString("en-US")} px): ${frames.length} frames`,
        `    frame time median ${ms(quantile(sorted, 0.5))}   p90 ${ms(quantile(sorted, 0.9))}   max ${ms(sorted.at(-1)!)}   frames > 33 ms: ${sorted.filter((f) => f > 33.4).length}`,
        `    rows in the DOM: ${domRows}`,
        `  sort all rows by R-hat, click to frame: ${ms(sortMs)}`,
        `  regex filter over all rows, typed to frame: ${ms(filterMs)}`,
        "",
      ].join("\n"),
    );
  } finally {
    await browser.close();
    stop();
  }
}

await main();
