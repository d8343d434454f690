// `npm test`: type-check, lint and format check (Biome), unit tests (Vitest), the README's `npm start` until the example draws
// (scripts/check-start.ts, counted as one test), build, browser tests (Playwright on Debian's
// Chromium), then one closing line over them all: "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Outside test-results/, which Playwright empties when it starts.
const REPORTS = mkdtempSync(join(tmpdir(), "drawscope-test-"));

function step(command, args, env = {}) {
  const run = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return run.status === 0;
}

const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined);

const typed = step("npx", ["tsc", "--noEmit"]);
const linted = step("npx", ["biome", "ci", "."]);
const unitOk = step("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${REPORTS}/unit.json`]);
const startOk = step("node", ["--import", "tsx", "scripts/check-start.ts"]);
const built = step("npm", ["run", "-s", "build"]);
const e2eOk = built && step("npx", ["playwright", "test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/e2e.json` });

const unit = read(`${REPORTS}/unit.json`);
const e2e = read(`${REPORTS}/e2e.json`);
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (startOk ? 1 : 0);
// A runner that produced no report failed before counting: count it as one failure.
const failed = (unit ? unit.numFailedTests : 1) + (e2e ? e2e.stats.unexpected + e2e.stats.flaky || (e2eOk ? 0 : 1) : 1) + (typed ? 0 : 1) + (linted ? 0 : 1) + (startOk ? 0 : 1);
rmSync(REPORTS, { recursive: true, force: true });
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
process.exit(typed && linted && unitOk && startOk && e2eOk ? 0 : 1);
