import { Table, tableFromIPC, type RecordBatch } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { arrowFilePieces } from "../src/engine/arrow-file-pieces.ts";
import { toCsv } from "../src/engine/csv.ts";
import type { ExtractProgress } from "../src/engine/progress.ts";
import { openPath } from "../src/engine/store/node.ts";
import type { StreamOptions } from "../src/engine/stream.ts";
import type { Trace } from "../src/engine/trace.ts";
import { FIXTURES, goldenCases } from "./golden.ts";
import { countingTrace, dims, float64Array, sampleCoordinates, utf32, zarray } from "./memory-store.ts";

const CHAINS = 2;
const DRAWS = 10;
const PARAMS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
/** theta[chain, draw, param] = its indices as digits (the prior's plus 5000), so every row can be checked. */
const theta = (c: number, d: number, p: number) => c * 1000 + d * 10 + p;
const PRIOR_SHIFT = 5000;
/** sigma[chain, draw], chunked 1 × 3 where theta is 1 × 4 × 3: a join whose chunk grids differ. */
const sigma = (c: number, d: number) => -(c * 100 + d);
/** w[param] and v[param] in constant_data (no chain or draw), chunked 3 and 2. */
const w = (p: number) => 100 + p;
const v = (p: number) => 200 + p;

function files(draws = DRAWS, thetaChunks = [1, 4, 3]) {
  const group = (name: string, shift: number) => ({
    [`${name}/.zgroup`]: { zarr_format: 2 },
    ...sampleCoordinates(name, CHAINS, draws),
    [`${name}/param/.zarray`]: zarray("<U2", [PARAMS.length], [PARAMS.length]),
    [`${name}/param/.zattrs`]: dims("param"),
    [`${name}/param/0`]: utf32(PARAMS, 2),
    ...float64Array(`${name}/theta`, ["chain", "draw", "param"], [CHAINS, draws, PARAMS.length], thetaChunks, ([c, d, p]) => shift + theta(c, d, p)),
    ...float64Array(`${name}/sigma`, ["chain", "draw"], [CHAINS, draws], [1, 3], ([c, d]) => sigma(c, d) - shift),
  });
  return {
    ".zgroup": { zarr_format: 2 },
    ...group("posterior", 0),
    ...group("prior", PRIOR_SHIFT),
    "constant_data/.zgroup": { zarr_format: 2 },
    "constant_data/.zattrs": { sample_dims: [] },
    "constant_data/param/.zarray": zarray("<U2", [PARAMS.length], [PARAMS.length]),
    "constant_data/param/.zattrs": dims("param"),
    "constant_data/param/0": utf32(PARAMS, 2),
    ...float64Array("constant_data/w", ["param"], [PARAMS.length], [3], ([p]) => w(p)),
    ...float64Array("constant_data/v", ["param"], [PARAMS.length], [2], ([p]) => v(p)),
  };
}

/** The trace, and the chunk keys read (every read, so a chunk read twice shows twice). */
const countedTrace = (draws = DRAWS, thetaChunks = [1, 4, 3]) => countingTrace(files(draws, thetaChunks), /\/(theta|sigma|w|v)\/\d/);

async function collect(trace: Trace, query: string, options: StreamOptions = {}): Promise<{ table: Table; batches: RecordBatch[] }> {
  const stream = trace.stream(query, options);
  const batches: RecordBatch[] = [];
  for await (const batch of stream) batches.push(batch);
  expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(stream.numRows);
  return { table: new Table(stream.schema, batches), batches };
}

/** The streamed table is extract()'s: the same columns and types, and the same rows in the same order. */
async function expectSameAsExtract(trace: Trace, query: string, options: StreamOptions = {}): Promise<RecordBatch[]> {
  const { table, batches } = await collect(trace, query, options);
  const extracted = await trace.extract(query, { groups: options.groups });
  expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(extracted.schema.fields.map((f) => `${f.name}:${f.type}`));
  expect(table.numRows).toBe(extracted.numRows);
  expect(toCsv(table)).toBe(toCsv(extracted));
  return batches;
}

const rowsOf = (batches: readonly RecordBatch[]) => batches.map((b) => b.numRows);

/** Rows `source?,chain,draw,param?,values...` whose values are not what the labels say. */
function wrongRows(table: Table): string[] {
  const names = table.schema.names;
  return toCsv(table)
    .trim()
    .split("\n")
    .slice(1)
    .filter((line) => {
      const cell = Object.fromEntries(line.split(",").map((x, i) => [names[i], x]));
      const shift = cell.source === "prior" ? PRIOR_SHIFT : 0;
      const [c, d, p] = [Number(cell.chain), Number(cell.draw), PARAMS.indexOf(cell.param)];
      const checks = [
        cell.theta === undefined || Number(cell.theta) === shift + theta(c, d, p),
        cell.sigma === undefined || Number(cell.sigma) === sigma(c, d) - shift,
        cell.w === undefined || Number(cell.w) === w(p),
        cell.v === undefined || Number(cell.v) === v(p),
      ];
      return !checks.every(Boolean);
    });
}

describe("streamed batches equal extract()'s table on every golden case", () => {
  for (const [expectedDir, store] of [
    ["grouped_regression.expected", "grouped_regression.zarr"],
    ["arviz/centered_eight.expected", "arviz/centered_eight.zarr"],
  ]) {
    for (const c of goldenCases(expectedDir)) {
      it(`${store} ${c.group}: ${c.specs.join(", ")}, in batches of at most 1000 rows`, async () => {
        const trace = await openPath(`${FIXTURES}/${store}`);
        const batches = await expectSameAsExtract(trace, c.specs.join(", "), { groups: [c.group], batchRows: 1000 });
        expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(c.rows);
      });
    }
  }
});

describe("streaming a query in batches aligned to the chunk grid", () => {
  it("a variable read whole gives one batch per chunk, edge chunks included, in the chunk grid's order", async () => {
    const { trace, reads } = await countedTrace();
    const batches = await expectSameAsExtract(trace, "theta[param]");
    // Chunks of 1 × 4 × 3 over 2 × 10 × 7: draws 4, 4, 2 and params 3, 3, 1 per chain.
    expect(rowsOf(batches)).toEqual(Array.from({ length: CHAINS }, () => [4, 4, 2].flatMap((d) => [3, 3, 1].map((p) => d * p))).flat());
    expect(wrongRows(new Table(batches))).toEqual([]);
    expect(new Set(reads).size).toBe(CHAINS * 3 * 3);
  });

  it("a join of differently chunked variables: row ranges within the batch size, each chunk read once", async () => {
    const { trace, reads } = await countedTrace();
    const batches = await expectSameAsExtract(trace, "theta[param], sigma", { batchRows: 14 });
    // 7 rows a draw, so ranges of at most 2 draws: blocks start where theta's (0, 4, 8) or
    // sigma's (0, 3, 6, 9) chunks do; the block of draws 0-2 is cut in two, the others grouped.
    expect(rowsOf(batches)).toEqual(Array.from({ length: CHAINS }, () => [14, 7, 7, 14, 14, 14]).flat());
    expect(wrongRows(new Table(batches))).toEqual([]);
    // The stream and then extract(): each read every chunk once.
    const distinct = new Set(reads).size;
    expect(distinct).toBe(CHAINS * 3 * 3 + CHAINS * 4);
    expect(reads.length).toBe(2 * distinct);
  });

  it("a selection reads only the chunks holding its labels, once, in batches of whole chunk ranges", async () => {
    const { trace, reads } = await countedTrace();
    const progress: ExtractProgress[] = [];
    const { table, batches } = await collect(trace, "theta[param=p6|p0]", { batchRows: 8, onProgress: (p) => progress.push(p) });
    // 2 rows a draw, so at most 4 draws a batch: theta's draw chunks, 4, 4 and 2.
    expect(rowsOf(batches)).toEqual(Array.from({ length: CHAINS }, () => [8, 8, 4]).flat());
    expect(table.getChild("param")!.toArray().length).toBe(CHAINS * DRAWS * 2);
    expect(wrongRows(table)).toEqual([]);
    const thetaKeys = (c: number) => [0, 1, 2].flatMap((dc) => [0, 2].map((pc) => `posterior/theta/${c}.${dc}.${pc}`));
    expect([...reads].sort()).toEqual([...thetaKeys(0), ...thetaKeys(1)].sort());
    expect(progress.at(-1)).toMatchObject({ chunksDone: 12, chunksTotal: 12, arraysDone: 1, arraysTotal: 1 });
    await expectSameAsExtract(trace, "theta[param=p6|p0]", { batchRows: 8 });
  });

  it("a batch of several chunk ranges when they fit: 4 draws of a selection of 3 params take 12 rows", async () => {
    const { trace } = await countedTrace();
    const batches = await expectSameAsExtract(trace, "theta[param=p1|p4|p5]", { batchRows: 13 });
    expect(rowsOf(batches)).toEqual(Array.from({ length: CHAINS }, () => [12, 12, 6]).flat());
  });

  it("stacked groups: each source's batches in turn, with its source label", async () => {
    const { trace } = await countedTrace();
    const batches = await expectSameAsExtract(trace, "theta[param], sigma", { groups: ["posterior", "prior"], batchRows: 30 });
    expect(rowsOf(batches)).toEqual(Array.from({ length: CHAINS * 2 }, () => [28, 28, 14]).flat());
    const sources = batches.map((b) => String(b.getChild("source")!.get(0)));
    expect(sources).toEqual([...Array(CHAINS * 3).fill("posterior"), ...Array(CHAINS * 3).fill("prior")]);
    expect(wrongRows(new Table(batches))).toEqual([]);
  });

  it("data groups without chain and draw: a join of two chunkings along param", async () => {
    const { trace, reads } = await countedTrace();
    const batches = await expectSameAsExtract(trace, "constant_data/w[param], constant_data/v[param]", { batchRows: 3 });
    // w's chunks start at 0, 3, 6 and v's at 0, 2, 4, 6: whole blocks grouped up to 3 params.
    expect(rowsOf(batches)).toEqual([3, 3, 1]);
    expect(wrongRows(new Table(batches))).toEqual([]);
    expect([...new Set(reads)].sort()).toEqual(["constant_data/v/0", "constant_data/v/1", "constant_data/v/2", "constant_data/v/3", "constant_data/w/0", "constant_data/w/1", "constant_data/w/2"]);
  });

  it("a broadcast over draws the variable lacks, and a join that picks nothing", async () => {
    const { trace } = await countedTrace();
    const joined = await expectSameAsExtract(trace, "theta[param], constant_data/w[param]", { batchRows: 7 });
    expect(wrongRows(new Table(joined))).toEqual([]);
    const { table, batches } = await collect(trace, "theta[param=p6], constant_data/v[param=p0]");
    expect(table.numRows).toBe(0);
    expect(rowsOf(batches)).toEqual([0]);
  });

  it("reads lazily: after the first batch only its chunks and the read-ahead are read", async () => {
    // 40 draws in chunks of 1 × 1 × 7: 80 chunks, one per batch of 7 rows.
    const { trace, reads } = await countedTrace(40, [1, 1, 7]);
    const stream = trace.stream("theta[param], sigma", { batchRows: 7 });
    const batches = stream[Symbol.asyncIterator]();
    const first = await batches.next();
    expect(first.value?.numRows).toBe(7);
    // Its two chunks (theta's and sigma's), and the 8 read ahead of them.
    expect(reads.length).toBeLessThanOrEqual(2 + 8);
    await batches.return?.(undefined);
    expect(reads.length).toBeLessThan(CHAINS * 40);
  });

  it("stops with an AbortError when its signal is aborted", async () => {
    const { trace } = await countedTrace();
    const controller = new AbortController();
    const stream = trace.stream("theta[param], sigma", { batchRows: 7, signal: controller.signal });
    const consume = async () => {
      for await (const batch of stream) {
        expect(batch.numRows).toBe(7);
        controller.abort();
      }
    };
    await expect(consume()).rejects.toThrow(expect.objectContaining({ name: "AbortError" }));
  });

  it("refuses a batch size that is not a whole number of rows", async () => {
    const { trace } = await countedTrace();
    expect(() => trace.stream("sigma", { batchRows: 0 })).toThrow("batchRows must be a whole number of rows, at least 1, not 0");
  });
});

describe("Arrow IPC file pieces", () => {
  async function fileOf(trace: Trace, query: string, options: StreamOptions = {}): Promise<Table> {
    const stream = trace.stream(query, options);
    const pieces: Uint8Array[] = [];
    for await (const piece of arrowFilePieces(stream.schema, stream)) pieces.push(piece.slice());
    return tableFromIPC(Buffer.concat(pieces));
  }

  it("read back as the table extract() gives, batch by batch", async () => {
    const { trace } = await countedTrace();
    const query = "theta[param], sigma";
    const back = await fileOf(trace, query, { groups: ["posterior", "prior"], batchRows: 14 });
    expect(back.batches.length).toBe(2 * CHAINS * 6);
    expect(toCsv(back)).toBe(toCsv(await trace.extract(query, { groups: ["posterior", "prior"] })));
  });

  it("a query without rows makes a file with its columns and no rows", async () => {
    const { trace } = await countedTrace();
    const back = await fileOf(trace, "theta[param=p6], constant_data/v[param=p0]");
    expect(back.numRows).toBe(0);
    expect(back.schema.names).toEqual(["chain", "draw", "param", "theta", "v"]);
  });
});
