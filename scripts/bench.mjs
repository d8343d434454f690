// `npm run bench`: every bench in turn, each run whatever those before it found, then one closing
// line naming the benches whose goal was not met or that failed (exit 1 if any), so that one noisy
// goal no longer hides the figures of every bench after it.
import { spawnSync } from "node:child_process";

const tsx = (file) => ["tsx", [`bench/${file}.bench.ts`]];
const BENCHES = [
  ["extract", ...tsx("extract")],
  ["stream", ...tsx("stream")],
  ["kde", ...tsx("kde")],
  ["expression", ...tsx("expression")],
  ["cmdstan", ...tsx("cmdstan")],
  ["netcdf", ...tsx("netcdf")],
  ["diagnose", ...tsx("diagnose")],
  ["summary-table", ...tsx("summary-table")],
  // Builds dist/, which the browser benches after it serve.
  ["app", "npm", ["run", "-s", "bench:app"]],
  ["scale", ...tsx("scale")],
  ["rows", ...tsx("rows")],
  ["loo-browser", ...tsx("loo-browser")],
  ["loo", ...tsx("loo")],
];

const missed = BENCHES.filter(([, command, args]) => spawnSync(command, args, { stdio: "inherit" }).status !== 0).map(([name]) => name);
process.stdout.write(`\nbenches: ${BENCHES.length - missed.length} met their goals, ${missed.length} did not${missed.length ? ` (${missed.join(", ")}: a goal not met, or the bench failed)` : ""}\n`);
process.exit(missed.length ? 1 : 0);
