// The README's first command, checked as a user would see it: `npm start` serves the app, and
// /#trace=example in Debian's Chromium opens the bundled example and draws its panels.
//
//   node --import tsx scripts/check-start.ts [--screenshot FILE]
//
// Exits 1 with what went wrong when the server does not start, the page reports an error, or the
// example's density and table do not appear within a minute.
import { spawn } from "node:child_process";
import type { Browser } from "playwright-core";
import { launchChromium } from "../bench/browser.ts";

const TIMEOUT_MS = 60_000;
const screenshotAt = process.argv.indexOf("--screenshot");
const screenshot = screenshotAt > 0 ? process.argv[screenshotAt + 1] : undefined;

function fail(message: string): void {
  process.stderr.write(`check-start: ${message}\n`);
  process.exitCode = 1;
}

/** `npm start` in its own process group (npm, the shell, vite), and the URL vite says it serves. */
function start(): { url: Promise<string>; stop: () => void } {
  const server = spawn("npm", ["start"], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start served nothing within ${TIMEOUT_MS / 1000} s:\n${output}`)), TIMEOUT_MS);
    const read = (data: Buffer) => {
      output += data;
      // Vite colours its banner; the address is what follows "Local:".
      // biome-ignore lint/suspicious/noControlCharactersInRegex: Vite's output carries ANSI colour codes (ESC [ … m), stripped here.
      const local = /Local:\s+(?:\x1b\[[0-9;]*m)*(http:\/\/\S+?\/)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
      if (local) {
        clearTimeout(timer);
        resolve(local[1]);
      }
    };
    server.stdout.on("data", read);
    server.stderr.on("data", read);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before serving:\n${output}`));
    });
  });
  const stop = () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // Already gone: it exited on its own, which `url` has reported.
    }
  };
  return { url, stop };
}

const server = start();
// Interrupted: take the server's whole process group down too, not just this script.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.stop();
    process.exit(1);
  });
}
const began = Date.now();
let browser: Browser | undefined;
try {
  const base = await server.url;
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${base}#trace=example`);
  const density = page.getByRole("figure", { name: "Density of beta by groups: 4 curves in 4 facets" });
  const table = page.getByRole("figure", { name: "Tidy table of beta[groups]: 6,400 rows, 4 columns" });
  await density.waitFor({ timeout: TIMEOUT_MS });
  await table.waitFor({ timeout: TIMEOUT_MS });
  const curves = await density.locator('g[aria-description="density curves"] path').count();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  if (curves !== 4) fail(`the example's density has ${curves} curves, not 4`);
  if (problems.length) fail(problems.join("\n"));
  if (!process.exitCode) {
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    process.stdout.write(`check-start: npm start served ${base}; #trace=example drew the example's density (4 curves) and table in ${seconds} s\n`);
  }
} catch (error) {
  fail((error as Error).message);
} finally {
  await browser?.close();
  server.stop();
}
