import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvVariables } from "../src/engine/cmdstan/columns.ts";
import { runComments } from "../src/engine/cmdstan/comments.ts";
import { blobFile, type CsvFile } from "../src/engine/cmdstan/csv-file.ts";
import { writeDecimal } from "../src/engine/cmdstan/decimal.ts";
import { cmdstanPaths, looksLikeCmdStan } from "../src/engine/cmdstan/detect.ts";
import { openCmdStan } from "../src/engine/cmdstan/open.ts";
import { toCsv } from "../src/engine/csv.ts";
import { CmdStanError } from "../src/engine/errors.ts";
import { uniforms } from "../src/engine/stats/random.ts";
import { openFile } from "../src/engine/store/file.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { openTrace } from "../src/engine/trace.ts";
import { startFixtureServer, type FixtureServer } from "./fixture-server.ts";
import { parseCsv } from "./golden.ts";

/**
 * tests/fixtures/cmdstan/warmup: two chains of a small run written as CmdStan writes them with
 * save_warmup (num_warmup 4, num_samples 6, thin 2: 2 warmup and 3 sampling rows), a 2 × 3
 * matrix theta whose value in file row r of chain c is 1000c + 100r + 10i + j for theta.i.j,
 * a scalar mu, log_lik[3], and the sampler's columns (chain 2's sampling draw 1 diverged).
 */
const WARMUP = join(import.meta.dirname, "fixtures", "cmdstan", "warmup");
const text = (chain: number) => readFileSync(join(WARMUP, `output_${chain}.csv`), "utf8");
const file = (name: string, content: string | Uint8Array<ArrayBuffer>): CsvFile => blobFile(name, new Blob([content]));
const run = (...contents: string[]) => openTrace_(contents.map((c, k) => file(`output_${k + 1}.csv`, c)));
const openTrace_ = async (files: CsvFile[]) => openTrace(await openCmdStan(files, "run"));
const tidy = async (trace: Awaited<ReturnType<typeof openTrace_>>, query: string, group: string) => parseCsv(toCsv(await trace.extract(query, { groups: [group] })));

/** The CmdStanError a run's opening fails with. */
async function failure(...contents: string[]): Promise<CmdStanError> {
  const error = await run(...contents).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CmdStanError);
  return error as CmdStanError;
}

describe("a CmdStan run with saved warmup", () => {
  it("puts the draws after warmup in posterior, sample_stats and log_likelihood, and the warmup draws in warmup_*", async () => {
    const trace = await run(text(1), text(2));
    const shapes = trace.tree.groups.map((g) => `${g.name}: ${g.variables.map((v) => `${v.name}=${v.shape.join("x")}`).join(" ")}`);
    expect(shapes).toEqual([
      "posterior: mu=2x3 theta=2x3x2x3",
      "sample_stats: lp=2x3 acceptance_rate=2x3 step_size=2x3 tree_depth=2x3 n_steps=2x3 diverging=2x3 energy=2x3",
      "log_likelihood: log_lik=2x3x3",
      "warmup_posterior: mu=2x2 theta=2x2x2x3",
      "warmup_sample_stats: lp=2x2 acceptance_rate=2x2 step_size=2x2 tree_depth=2x2 n_steps=2x2 diverging=2x2 energy=2x2",
      "warmup_log_likelihood: log_lik=2x2x3",
    ]);
  });

  it("gathers theta.i.j, written first index fastest, into theta[theta_dim_0, theta_dim_1]", async () => {
    const trace = await run(text(1), text(2));
    const posterior = await tidy(trace, "theta[theta_dim_0, theta_dim_1]", "posterior");
    expect(posterior.header).toEqual(["chain", "draw", "theta_dim_0", "theta_dim_1", "theta"]);
    expect(posterior.rows.length).toBe(2 * 3 * 6);
    // Chain 2 (index 1), its first draw after warmup (file row 2), theta.2.3.
    expect(posterior.rows).toContainEqual(["1", "0", "1", "2", "2223"]);
    for (const [chain, draw, i, j, value] of posterior.rows.map((r) => r.map(Number))) {
      expect(value).toBe(1000 * (chain + 1) + 100 * (draw + 2) + 10 * (i + 1) + (j + 1));
    }
    const warmup = await tidy(trace, "theta[theta_dim_0, theta_dim_1]", "warmup_posterior");
    expect(warmup.rows.slice(0, 6)).toEqual([
      ["0", "0", "0", "0", "1011"],
      ["0", "0", "0", "1", "1012"],
      ["0", "0", "0", "2", "1013"],
      ["0", "0", "1", "0", "1021"],
      ["0", "0", "1", "1", "1022"],
      ["0", "0", "1", "2", "1023"],
    ]);
  });

  it("reads the sampler's columns under ArviZ's names, with integers and booleans as such", async () => {
    const trace = await run(text(1), text(2));
    const stats = await tidy(trace, "lp, acceptance_rate, step_size, tree_depth, n_steps, diverging, energy", "sample_stats");
    expect(stats.rows.filter((r) => r[0] === "1")).toEqual([
      ["1", "0", "-22.5", "0.9", "0.5", "3", "7", "false", "13"],
      ["1", "1", "-23.5", "0.9", "0.5", "1", "1", "true", "14"],
      ["1", "2", "-24.5", "0.9", "0.5", "2", "3", "false", "15"],
    ]);
    const warmup = await tidy(trace, "step_size, n_steps", "warmup_sample_stats");
    expect(warmup.rows.filter((r) => r[0] === "0")).toEqual([
      ["0", "0", "1", "1"],
      ["0", "1", "0.75", "3"],
    ]);
    const loglik = await tidy(trace, "log_lik[log_lik_dim_0]", "log_likelihood");
    expect(loglik.rows.slice(0, 3)).toEqual([
      ["0", "0", "0", "-1.25"],
      ["0", "0", "1", "-2.25"],
      ["0", "0", "2", "-3.25"],
    ]);
    expect(trace.tree.groups.find((g) => g.name === "sample_stats")!.variables.map((v) => v.dtype)).toEqual(["float64", "float64", "float64", "int64", "int64", "bool", "float64"]);
  });

  it("keeps the configuration and adaptation, one value per chain, on posterior and warmup_posterior", async () => {
    const trace = await run(text(1), text(2));
    const attrs = (name: string) => trace.tree.groups.find((g) => g.name === name)!.attrs;
    expect(attrs("posterior")).toEqual(attrs("warmup_posterior"));
    expect(attrs("posterior")).toMatchObject({
      model: ["tiny_model", "tiny_model"],
      start_datetime: ["2026-12-01 10:00:00 UTC", "2026-12-01 10:00:00 UTC"],
      method: ["sample", "sample"],
      num_samples: [6, 6],
      num_warmup: [4, 4],
      save_warmup: [true, true],
      thin: [2, 2],
      seed: [7, 8],
      step_size: [0.5, 0.5],
      inverse_mass_matrix: [
        [1.5, 0.25, 0.75, 1, 2, 0.5, 1.25],
        [1.5, 0.25, 0.75, 1, 2, 0.5, 1.25],
      ],
      warmup_time_seconds: [0.001, 0.002],
      total_time_seconds: [0.003, 0.004],
      stan_version: ["2.37.0", "2.37.0"],
    });
    expect(attrs("warmup_sample_stats")).toEqual(attrs("sample_stats"));
    expect(attrs("log_likelihood")).toEqual({});
  });

  it("orders chains by the numbers in their names, and reads one file as one chain", async () => {
    const ten = await openTrace_([file("output_10.csv", text(2)), file("output_9.csv", text(1))]);
    const rows = await tidy(ten, "mu", "posterior");
    expect(rows.rows[0]).toEqual(["0", "0", "1.5"]);
    const one = await run(text(2));
    expect(one.tree.groups[0].variables[0].shape).toEqual([1, 3]);
  });
});

describe("the run as a Zarr store", () => {
  it("cuts a wide variable into chunks of a few MB along its first dimension, every draw of a chain in each", async () => {
    const size = 300_000;
    const header = ["lp__", ...Array.from({ length: size }, (_, k) => `theta.${k + 1}`)].join(",");
    const row = (draw: number) => [String(-draw), ...Array.from({ length: size }, (_, k) => String(k + draw / 4))].join(",");
    const store = await openCmdStan([file("output_1.csv", `${header}\n${row(0)}\n${row(1)}\n`)], "wide");
    const metadata = JSON.parse(new TextDecoder().decode(await store.store.get("/posterior/theta/.zarray")));
    // 4 MiB / (2 draws × 8 bytes) = 262,144 elements a chunk: two chunks, the second padded.
    expect(metadata).toMatchObject({ shape: [1, 2, size], chunks: [1, 2, 262_144], dtype: "<f8", compressor: null });
    const trace = await openTrace(store);
    const picked = await tidy(trace, "theta[theta_dim_0=0|262143|262144|299999]", "posterior");
    expect(picked.rows).toEqual([
      ["0", "0", "0", "0"],
      ["0", "0", "262143", "262143"],
      ["0", "0", "262144", "262144"],
      ["0", "0", "299999", "299999"],
      ["0", "1", "0", "0.25"],
      ["0", "1", "262143", "262143.25"],
      ["0", "1", "262144", "262144.25"],
      ["0", "1", "299999", "299999.25"],
    ]);
  });
});

describe("header to variables, as ArviZ's from_cmdstan names them", () => {
  const where = { file: "output_1.csv", line: 40 };

  it("maps columns to variables, dims and the CSV column of each element in C order", () => {
    const header = [
      "lp__",
      "accept_stat__",
      "treedepth__",
      "n_leapfrog__",
      "divergent__",
      "energy__",
      "stepsize__",
      "z__",
      "a",
      "b.1.1",
      "b.2.1",
      "b.1.2",
      "b.2.2",
      "b.1.3",
      "b.2.3",
      "log_lik.1",
      "log_lik.2",
    ];
    const variables = csvVariables(header, where);
    expect(variables.map((v) => [v.group, v.csvName, v.name, v.kind, v.dims.join(","), v.shape.join("x"), [...v.columns].join(",")])).toEqual([
      ["sample_stats", "lp__", "lp", "float", "", "", "0"],
      ["sample_stats", "accept_stat__", "acceptance_rate", "float", "", "", "1"],
      ["sample_stats", "treedepth__", "tree_depth", "int", "", "", "2"],
      ["sample_stats", "n_leapfrog__", "n_steps", "int", "", "", "3"],
      ["sample_stats", "divergent__", "diverging", "bool", "", "", "4"],
      ["sample_stats", "energy__", "energy", "float", "", "", "5"],
      ["sample_stats", "stepsize__", "step_size", "float", "", "", "6"],
      ["sample_stats", "z__", "z", "float", "", "", "7"],
      ["posterior", "a", "a", "float", "", "", "8"],
      // b[i, j] in C order: b.1.1, b.1.2, b.1.3, b.2.1, … are columns 9, 11, 13, 10, 12, 14.
      ["posterior", "b", "b", "float", "b_dim_0,b_dim_1", "2x3", "9,11,13,10,12,14"],
      ["log_likelihood", "log_lik", "log_lik", "float", "log_lik_dim_0", "2", "15,16"],
    ]);
  });

  it("refuses what is not one array per name, saying which column and what to do", () => {
    const problem = (header: string[]) => {
      try {
        csvVariables(header, where);
      } catch (error) {
        expect(error).toBeInstanceOf(CmdStanError);
        expect((error as CmdStanError).kind).toBe("header");
        return (error as Error).message;
      }
      throw new Error("expected a CmdStanError");
    };
    expect(problem(["lp__", "b.1", "b.3"])).toBe("output_1.csv, line 40: the header has 2 columns of b but not b.2, so they do not make a 3 array. Open the CSV files CmdStan wrote, unedited.");
    expect(problem(["lp__", "b.1", "b.1.2"])).toBe("output_1.csv, line 40: column 3 ('b.1.2') has 2 indices, but 'b.1' has 1. Open the CSV files CmdStan wrote, unedited.");
    expect(problem(["lp__", "a", "a"])).toBe("output_1.csv, line 40: column 3 ('a') appears twice in the header. Open the CSV files CmdStan wrote, unedited.");
    expect(problem(["lp__", "z.real", "z.imag"])).toBe(
      "output_1.csv, line 40: column 2 ('z.real') is not a variable name with indices such as theta.1.2 (complex and tuple outputs are not read yet). " +
        "Leave complex and tuple quantities out of the model's output, or open a trace converted by ArviZ.",
    );
    expect(problem(["lp__", ""])).toBe("output_1.csv, line 40: column 2 ('') has no name. Open the CSV files CmdStan wrote, unedited.");
  });
});

describe("comments", () => {
  it("reads settings as numbers, booleans, text or null, the adaptation, and the draw counts", () => {
    const comments = runComments([
      "# method = sample (Default)",
      "#     num_samples = 1000 (Default)",
      "#     num_warmup = 999",
      "#     save_warmup = 1",
      "#     thin = 2",
      "#     metric_file =  (Default)",
      "#         stepsize = 0.5",
      "# Adaptation terminated",
      "# Step size = 0.0312",
      "# Elements of inverse mass matrix:",
      "# 2, 0.5",
      "# 0.5, 3",
      "#  Elapsed Time: 1.5 seconds (Warm-up)",
    ]);
    expect(comments).toEqual({
      attrs: {
        method: "sample",
        num_samples: 1000,
        num_warmup: 999,
        save_warmup: 1,
        thin: 2,
        metric_file: null,
        stepsize: 0.5,
        step_size: 0.0312,
        inverse_mass_matrix: [
          [2, 0.5],
          [0.5, 3],
        ],
        warmup_time_seconds: 1.5,
      },
      method: "sample",
      // Every thin-th iteration from the first: ceil(1000 / 2) and ceil(999 / 2).
      sampling: 500,
      warmup: 500,
    });
    expect(runComments(["#     save_warmup = false", "#     num_warmup = 10"]).warmup).toBe(0);
  });
});

describe("recognising CmdStan output", () => {
  it("by the file names of a set, and by a file's first bytes", () => {
    expect(cmdstanPaths(["run/output_1.csv", "run/output_2.csv", "run/stdout.txt"])).toEqual(["run/output_1.csv", "run/output_2.csv"]);
    expect(cmdstanPaths(["trace.zarr/.zgroup", "trace.zarr/posterior/beta/0.0.0", "notes.csv"])).toBeUndefined();
    expect(cmdstanPaths(["zarr.json", "draws.CSV"])).toBeUndefined();
    expect(cmdstanPaths(["a.txt"])).toBeUndefined();
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(looksLikeCmdStan(bytes("# stan_version_major = 2\n"))).toBe(true);
    expect(looksLikeCmdStan(bytes("\uFEFFlp__,accept_stat__\n"))).toBe(true);
    expect(looksLikeCmdStan(bytes("PK\x03\x04"))).toBe(false);
    expect(looksLikeCmdStan(bytes("chain,draw,sigma\n"))).toBe(false);
  });

  it("a single file by its .csv name or its first lines, else as a zip", async () => {
    const named = await openTrace(await openFile(new Blob([text(1)]), "output_1.csv"));
    expect(named.tree.origin).toBe("CmdStan CSV, 1 chain");
    const unnamed = await openTrace(await openFile(new Blob([text(1)]), "download"));
    expect(unnamed.tree.groups[0].variables.map((v) => v.name)).toEqual(["mu", "theta"]);
    await expect(openFile(new Blob(["not a zip"]), "notes.txt")).rejects.toThrow(/^notes\.txt is not a readable zip file/);
  });
});

describe("mistakes in CmdStan files", () => {
  const lines = (chain: number) => text(chain).split("\n");
  const withLine = (chain: number, line: number, replace: (l: string) => string) =>
    lines(chain)
      .map((l, k) => (k === line - 1 ? replace(l) : l))
      .join("\n");
  const HEADER = 28;
  const FIRST_ROW = 29;

  it("chains of unequal length", async () => {
    const short = lines(2)
      .filter((_, k) => k !== FIRST_ROW + 5)
      .join("\n");
    const error = await failure(text(1), short);
    expect(error.kind).toBe("unequal-chains");
    expect(error.message).toBe(
      "output_2.csv: the chains have different lengths: output_2.csv has 2 draws after 2 warmup draws, output_1.csv has 3 draws after 2 warmup draws. " +
        "A run stopped early leaves shorter files: open the chains that finished (leave the short ones out), or run the sampler again.",
    );
  });

  it("a header that differs between chains", async () => {
    const error = await failure(
      text(1),
      withLine(2, HEADER, (l) => l.replace("theta.1.1,theta.2.1", "theta.2.1,theta.1.1")),
    );
    expect(error.kind).toBe("header-mismatch");
    expect(error.message).toBe(
      "output_2.csv, line 28: the header differs from output_1.csv's at column 9: 'theta.2.1' where output_1.csv has 'theta.1.1'. " +
        "Open the CSV files of one run together: the chains must have the same columns.",
    );
  });

  it("a value that is not a number, an empty one, and rows of the wrong length", async () => {
    const notNumber = await failure(withLine(1, FIRST_ROW + 1, (l) => l.replace(",1111,", ",11x1,")));
    expect([notNumber.kind, notNumber.line, notNumber.message]).toEqual([
      "value",
      30,
      "output_1.csv, line 30: the value of theta.1.1 (column 9) is '11x1', not a number. " +
        "Open the CSV files as CmdStan wrote them: a file cut short may be from a run still going, or a copy that stopped early.",
    ]);
    const empty = await failure(withLine(1, FIRST_ROW, (l) => l.replace(",1011,", ",,")));
    expect(empty.message).toMatch(/^output_1\.csv, line 29: the value of theta\.1\.1 \(column 9\) is empty\. /);
    const short = await failure(withLine(1, FIRST_ROW + 6, (l) => l.split(",").slice(0, 5).join(",")));
    expect([short.kind, short.message]).toEqual([
      "row-length",
      "output_1.csv, line 35: the row has 5 values, but the header (line 28) has 17 columns. " +
        "Open the CSV files as CmdStan wrote them: a file cut short may be from a run still going, or a copy that stopped early.",
    ]);
    const long = await failure(withLine(1, FIRST_ROW, (l) => `${l},0`));
    expect(long.message).toMatch(/^output_1\.csv, line 29: the row has more values than the 17 columns of the header \(line 28\)\. /);
  });

  it("sampler columns CmdStan writes as whole numbers or 0/1", async () => {
    const divergent = await failure(withLine(1, FIRST_ROW, (l) => l.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*),0,/, "$1,0.5,")));
    expect(divergent.message).toMatch(/^output_1\.csv, line 29: divergent__ is 0\.5, where CmdStan writes 0 or 1\. /);
    const depth = await failure(withLine(1, FIRST_ROW, (l) => l.replace(/^([^,]*,[^,]*,[^,]*),1,/, "$1,1.5,")));
    expect(depth.message).toMatch(/^output_1\.csv, line 29: treedepth__ is 1\.5, where CmdStan writes a whole number\. /);
  });

  it("files that are not CmdStan's sample output", async () => {
    const table = await failure("chain,draw,sigma\n0,0,0.4\n");
    expect([table.kind, table.message]).toEqual([
      "not-cmdstan",
      "output_1.csv, line 1: this is not CmdStan output: it has no # comments, and a first row ('chain,draw,sigma') without CmdStan's lp__ column. " +
        "Open the CSV files CmdStan's sample method writes (output_1.csv …), or a folder or zip of them; other CSV files are not traces.",
    ]);
    const empty = await failure("");
    expect(empty.message).toMatch(/^output_1\.csv: there is no header row: the file is empty or holds only comments\. /);
    const optimize = await failure("# method = optimize\n#   optimize\nlp__,theta\n-1.5,0.2\n");
    expect([optimize.kind, optimize.message]).toEqual([
      "not-sample",
      "output_1.csv, line 3: CmdStan's optimize method wrote this file, and drawscope reads the draws of its sample method. Open the output of a sample run (method=sample).",
    ]);
    const noDraws = await failure(lines(1).slice(0, HEADER).join("\n"));
    expect([noDraws.kind, noDraws.message]).toEqual(["no-draws", "output_1.csv: the file has a header but no draws. Open the output of a run that has written draws."]);
  });
});

describe("reading the numbers", () => {
  const header = "lp__,x\n";
  const values = async (...cells: string[]) => {
    const trace = await run(header + cells.map((c) => `0,${c}`).join("\n"));
    const table = await trace.extract("x");
    return Array.from(table.getChild("x")!.toArray() as Float64Array);
  };

  it("reads nan, infinities, signs, exponents and more than 19 digits as Number does", async () => {
    const cells = [
      "nan",
      "-nan",
      "inf",
      "-inf",
      "+Inf",
      "1e5",
      "-2.5E-3",
      ".5",
      "5.",
      "+3",
      "-0",
      "0.000",
      "1234567890123456789012345",
      "4.9406564584124654e-324",
      "2.2250738585072011e-308",
      "1.7976931348623157e+308",
      "1e400",
      "-1e-400",
      "0.80000000000000004",
    ];
    const got = await values(...cells);
    expect(got.map(String)).toEqual([
      "NaN",
      "NaN",
      "Infinity",
      "-Infinity",
      "Infinity",
      "100000",
      "-0.0025",
      "0.5",
      "5",
      "3",
      "0",
      "0",
      "1.2345678901234568e+24",
      "5e-324",
      "2.225073858507201e-308",
      "1.7976931348623157e+308",
      "Infinity",
      "0",
      "0.8",
    ]);
    expect(Object.is(got[10], -0)).toBe(true);
    expect(Object.is(got[17], -0)).toBe(true);
  });

  it("reads CRLF line endings and a last line without its line feed", async () => {
    const crlf = text(1).replace(/\n/g, "\r\n");
    const trace = await run(crlf, text(2).replace(/\n$/, ""));
    expect((await tidy(trace, "mu", "posterior")).rows.map((r) => r[2])).toEqual(["1.5", "1.75", "2", "2.5", "2.75", "3"]);
  });

  it("gives the same values however the bytes are cut into chunks", async () => {
    const bytes = new TextEncoder().encode(text(1));
    const cut = (size: number): CsvFile => ({
      name: "output_1.csv",
      async *chunks() {
        for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
      },
    });
    const whole = await tidy(await openTrace_([file("output_1.csv", bytes)]), "theta[theta_dim_0, theta_dim_1], mu", "posterior");
    for (const size of [1, 7, 64]) {
      expect(await tidy(await openTrace_([cut(size)]), "theta[theta_dim_0, theta_dim_1], mu", "posterior")).toEqual(whole);
    }
  });

  it("converts digits to the double Number gives, for 300,000 numbers of 1 to 19 digits and every magnitude", () => {
    const uniform = uniforms(13);
    const out = new Float64Array(1);
    let checked = 0;
    const wrong: string[] = [];
    for (let k = 0; k < 300_000; k++) {
      const digits = 1 + (k % 19);
      let w = 0;
      let low = 0;
      let written = String(1 + Math.floor(uniform() * 9));
      for (let d = 1; d < digits; d++) written += Math.floor(uniform() * 10);
      for (const ch of written) {
        w = w * 10 + (ch.charCodeAt(0) - 48);
        low = (Math.imul(low, 10) + (ch.charCodeAt(0) - 48)) | 0;
      }
      const q = k % 3 === 0 ? -digits - Math.floor(uniform() * 6) : Math.floor(uniform() * 640) - 330;
      if (!writeDecimal(out, 0, k % 2 === 1, w, low >>> 0, q)) continue;
      if (!Object.is(out[0], Number(`${k % 2 === 1 ? "-" : ""}${written}e${q}`))) wrong.push(`${written}e${q}`);
      checked++;
    }
    expect(wrong).toEqual([]);
    // The few left to the text: subnormals, and products whose low bits need the power's second word.
    expect(checked).toBeGreaterThan(290_000);
  });

  it("rounds exact halfway cases to even", async () => {
    // 2^53 + 1 and 2^53 + 3, and 2^52 + 0.5 and 2^52 + 1.5, lie halfway between two doubles.
    const cells = ["9007199254740993", "9007199254740995", "90071992547409930e-1", "4503599627370496.5", "4503599627370497.5"];
    expect(await values(...cells)).toEqual([2 ** 53, 2 ** 53 + 4, 2 ** 53, 2 ** 52, 2 ** 52 + 2]);
    expect(cells.map(Number)).toEqual([2 ** 53, 2 ** 53 + 4, 2 ** 53, 2 ** 52, 2 ** 52 + 2]);
  });
});

describe("opening a CmdStan CSV file by URL, and cancelling", () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(WARMUP, { ranges: true, cors: false });
  });
  afterAll(() => server.close());

  it("reads a .csv address as one chain, as it downloads", async () => {
    const trace = await openTrace(await openUrl(`http://127.0.0.1:${server.port}/output_2.csv`));
    expect(trace.tree.label).toBe(`http://127.0.0.1:${server.port}/output_2.csv`);
    expect((await tidy(trace, "mu", "posterior")).rows.map((r) => r[2])).toEqual(["2.5", "2.75", "3"]);
    await expect(openUrl(`http://127.0.0.1:${server.port}/missing.csv`)).rejects.toThrow(
      `cannot read http://127.0.0.1:${server.port}/missing.csv: the server answered HTTP 404 Not Found (no file at that address).`,
    );
  });

  it("stops reading when the signal aborts", async () => {
    const controller = new AbortController();
    const files = [file("output_1.csv", text(1)), file("output_2.csv", text(2))];
    const opening = openCmdStan(files, "run", { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(opening).rejects.toThrow(/aborted/i);
  });
});
