/** What the browser benches share: their options, a preview server of the built app, Chromium, quantiles. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const REPO = resolve(import.meta.dirname, "..");

/** A numeric `--name=value` argument, or the fallback. */
export function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}

/** Serve a built app (`dist/` unless another folder is named) on loopback; resolves to a stop function once it answers. */
export async function startPreview(port: number, dist?: string): Promise<() => void> {
  // Another server already there would answer in place of this build.
  if (
    await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is already in use`);
  const args = ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort", ...(dist ? ["--outDir", dist] : [])];
  // A process group of its own: npx runs vite as a child, which killing npx alone would leave serving.
  const server = spawn("npx", args, { cwd: REPO, stdio: "ignore", detached: true });
  let exited = false;
  server.on("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`vite preview could not serve on port ${port}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return () => process.kill(-server.pid!);
}

/** Debian's Chromium, headless (this machine cannot download Playwright's own browsers). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** The q-quantile of ascending values, interpolated linearly. */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
}
