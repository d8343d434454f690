import { openAsBlob, readdirSync, readFileSync } from "node:fs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { traceFingerprint } from "../src/engine/fingerprint.ts";
import { summarizeTable } from "../src/engine/stats/summary.ts";
import { openFile } from "../src/engine/store/file.ts";
import { openFileEntries } from "../src/engine/store/files.ts";
import { openPath, openPathStore } from "../src/engine/store/node.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { openTrace, type Trace } from "../src/engine/trace.ts";
import { startFixtureServer, type FixtureServer } from "./fixture-server.ts";
import { expectSameRows, FIXTURES, goldenCases, goldenCsv, parseCsv } from "./golden.ts";
import { zipOf } from "./zip-writer.ts";

/**
 * The grouped regression as CmdStan wrote it (4 chains, sig_figs 17) against the tidy tables
 * ArviZ's from_cmdstan gives. Every value is printed with 17 significant digits, which name one
 * double: the values must be equal exactly (tolerance 0), not merely close. The goldens print
 * booleans as Python does (True/False).
 */
const RUN = join(FIXTURES, "grouped_regression.cmdstan");
const EXPECTED = "grouped_regression.cmdstan.expected";
const CHAINS = readdirSync(RUN).filter((f) => f.endsWith(".csv"));

const pythonBooleans = (table: { header: string[]; rows: string[][] }) => ({
  header: table.header,
  rows: table.rows.map((r) => r.map((c) => (c === "True" ? "true" : c === "False" ? "false" : c))),
});

const chainBlobs = () => CHAINS.map((name) => ({ path: `grouped_regression.cmdstan/${name}`, blob: new Blob([readFileSync(join(RUN, name))]) }));

let server: FixtureServer;
let zipDir: string;
beforeAll(async () => {
  zipDir = mkdtempSync(join(tmpdir(), "drawscope-cmdstan-"));
  const files = Object.fromEntries(CHAINS.map((name) => [`grouped_regression.cmdstan/${name}`, new Uint8Array(readFileSync(join(RUN, name)))]));
  writeFileSync(join(zipDir, "run.zip"), zipOf(files));
  writeFileSync(join(zipDir, "stored.zip"), zipOf(files, "store"));
  server = await startFixtureServer(zipDir, { ranges: true, cors: false });
});
afterAll(() => server.close());

const OPENINGS: Record<string, () => Promise<Trace>> = {
  "the folder, by path": () => openPath(RUN),
  "the four files, as a drop hands them over": async () => openTrace(await openFileEntries(chainBlobs(), "output_1.csv … output_4.csv")),
  "a zip of the folder (deflated)": async () => openTrace(await openFile(await openAsBlob(join(zipDir, "run.zip")), "run.zip")),
  "a zip of the folder (stored), by URL with range requests": async () => openTrace(await openUrl(`http://127.0.0.1:${server.port}/stored.zip`)),
};

for (const [how, open] of Object.entries(OPENINGS)) {
  describe(`grouped_regression.cmdstan from ${how} reproduces ${EXPECTED}`, () => {
    let trace: Trace;
    beforeAll(async () => {
      trace = await open();
    });
    for (const c of goldenCases(EXPECTED)) {
      it(`${c.group}: ${c.specs.join(", ")} (${c.rows} rows), every value exact`, async () => {
        const table = await trace.extract(c.specs, { groups: [c.group] });
        expect(table.numRows).toBe(c.rows);
        expect(table.schema.fields.map((f) => f.name)).toEqual(c.columns);
        expectSameRows(parseCsv(toCsv(table)), pythonBooleans(goldenCsv(EXPECTED, c.table)), c.columns.length - c.specs.length, 0);
      });
    }
  });
}

describe("grouped_regression.cmdstan summaries", () => {
  interface Golden {
    group: string;
    specs: string[];
    summary_of: string;
    summary_by: string[];
    summary_prob: number;
    summary: Record<string, number>[];
  }
  const cases = JSON.parse(readFileSync(join(FIXTURES, EXPECTED, "cases.json"), "utf8")) as Golden[];
  // Summaries are numpy's arithmetic on the exact draws: equal to 1e-12 relative.
  const close = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-12 * Math.abs(expected);

  for (const c of cases) {
    it(`${c.group}: median, mean, ${c.summary_prob} ETI and HDI of ${c.summary_of} by ${c.summary_by.join(", ") || "nothing"}`, async () => {
      const trace = await openPath(RUN);
      const table = await trace.extract(c.specs, { groups: [c.group] });
      const probs = [c.summary_prob];
      const median = summarizeTable(table, c.summary_of, c.summary_by, { point: "median", interval: "eti", probs });
      const mean = summarizeTable(table, c.summary_of, c.summary_by, { point: "mean", interval: "hdi", probs });
      expect(median.rows.map((r) => r.keys)).toEqual(c.summary.map((s) => c.summary_by.map((d) => s[d])));
      c.summary.forEach((want, k) => {
        const got = {
          median: median.rows[k].summary.point,
          mean: mean.rows[k].summary.point,
          eti_lower: median.rows[k].summary.intervals[0].lower,
          eti_upper: median.rows[k].summary.intervals[0].upper,
          hdi_lower: mean.rows[k].summary.intervals[0].lower,
          hdi_upper: mean.rows[k].summary.intervals[0].upper,
        };
        for (const [name, value] of Object.entries(got)) expect(close(value, want[name]), `${name}: ${value} vs ${want[name]}`).toBe(true);
        expect(median.rows[k].summary.n).toBe(want.n);
      });
    });
  }
});

describe("grouped_regression.cmdstan as a trace", () => {
  it("has ArviZ's groups, names, dims, shapes and dtypes", async () => {
    const { tree } = await openPath(RUN);
    expect(tree.origin).toBe("CmdStan CSV, 4 chains");
    const describe = (group: string) => tree.groups.find((g) => g.name === group)!.variables.map((v) => `${v.name}(${v.dims.join(",")})=${v.shape.join("x")}:${v.dtype}`);
    expect(tree.groups.map((g) => g.name)).toEqual(["posterior", "sample_stats"]);
    expect(describe("posterior")).toEqual([
      "intercept(chain,draw,intercept_dim_0)=4x400x4:float64",
      "beta(chain,draw,beta_dim_0)=4x400x4:float64",
      "sigma(chain,draw)=4x400:float64",
      "mu(chain,draw,mu_dim_0)=4x400x96:float64",
    ]);
    expect(describe("sample_stats")).toEqual([
      "lp(chain,draw)=4x400:float64",
      "acceptance_rate(chain,draw)=4x400:float64",
      "step_size(chain,draw)=4x400:float64",
      "tree_depth(chain,draw)=4x400:int64",
      "n_steps(chain,draw)=4x400:int64",
      "diverging(chain,draw)=4x400:bool",
      "energy(chain,draw)=4x400:float64",
    ]);
    const posterior = tree.groups.find((g) => g.name === "posterior")!;
    expect(posterior.dims.find((d) => d.name === "beta_dim_0")).toEqual({ name: "beta_dim_0", size: 4, labels: [0, 1, 2, 3], hasCoordinate: true });
    expect(posterior.sampleDims).toEqual(["chain", "draw"]);
  });

  it("keeps each chain's configuration and adaptation in the posterior's attributes, one value per chain", async () => {
    const { tree } = await openPath(RUN);
    const attrs = tree.groups.find((g) => g.name === "posterior")!.attrs;
    expect(attrs.stan_version).toEqual(["2.37.0", "2.37.0", "2.37.0", "2.37.0"]);
    expect(attrs.num_samples).toEqual([400, 400, 400, 400]);
    expect(attrs.save_warmup).toEqual([false, false, false, false]);
    expect(attrs.id).toEqual([1, 2, 3, 4]);
    expect(attrs.file).toEqual(["output_1.csv", "output_2.csv", "output_3.csv", "output_4.csv"]);
    expect(attrs.metric_file).toEqual([null, null, null, null]);
    expect(attrs.step_size).toEqual([0.8, 0.81, 0.82, 0.83]);
    const metric = attrs.inverse_mass_matrix as number[][];
    expect(metric.map((m) => m.length)).toEqual([9, 9, 9, 9]);
    expect(metric[0].slice(0, 2)).toEqual([0.00768305, 0.00684621]);
    expect(attrs.warmup_time_seconds).toEqual([0.052, 0.056, 0.06, 0.064]);
    expect(attrs.sampling_time_seconds).toEqual([0.041, 0.041, 0.041, 0.041]);
    expect(attrs.total_time_seconds).toEqual([0.093, 0.097, 0.101, 0.105]);
    expect(tree.groups.find((g) => g.name === "sample_stats")!.attrs).toEqual({
      acceptance_rate: "accept_stat",
      step_size: "stepsize",
      tree_depth: "treedepth",
      n_steps: "n_leapfrog",
      diverging: "divergent",
    });
  });

  it("has one fingerprint however its files are opened, so a link made on it applies again", async () => {
    const prints = await Promise.all(Object.values(OPENINGS).map(async (open) => traceFingerprint((await open()).tree)));
    expect(new Set(prints).size).toBe(1);
    const zarr = traceFingerprint((await openPath(join(FIXTURES, "grouped_regression.zarr"))).tree);
    expect(prints[0]).not.toBe(zarr);
  });

  it("reports its progress by files and bytes", async () => {
    const seen: { filesDone: number; bytesRead: number; bytesTotal?: number }[] = [];
    await openPathStore(RUN, { onProgress: (p) => seen.push(p) });
    const total = CHAINS.reduce((a, name) => a + readFileSync(join(RUN, name)).length, 0);
    expect(seen.at(-1)).toEqual({ filesDone: 4, filesTotal: 4, bytesRead: total, bytesTotal: total });
    expect(seen.map((p) => p.filesDone)).toEqual([...seen.map((p) => p.filesDone)].sort((a, b) => a - b));
  });
});
