import type { AbsolutePath } from "@zarrita/storage";
import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { ownedView, takeBuffer } from "../src/engine/decode/spare-buffers.ts";
import { BudgetError } from "../src/engine/errors.ts";
import type { ExtractProgress } from "../src/engine/progress.ts";
import type { ZarrArray } from "../src/engine/read.ts";
import { planSelection, readSelectionsInto, selectionChunks } from "../src/engine/read-selection.ts";
import { openTree } from "../src/engine/tree.ts";
import { asBytes, countingTrace, dims, memoryStore, sampleCoordinates, utf32, zarray } from "./memory-store.ts";

const CHAINS = 2;
const DRAWS = 10;
const PARAMS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
/** theta[chain, draw, param] = its indices as digits, so every row can be checked against its labels. */
const theta = (c: number, d: number, p: number) => c * 1000 + d * 10 + p;
/** w[param] over five of the params, in another order and chunking than theta's. */
const W_PARAMS = ["p4", "p3", "p2", "p1", "p0"];
const w = (label: string) => 100 + Number(label.slice(1));

/** theta in chunks of 1 × 4 × 3 (edge chunks of 2 draws and 1 param), uncompressed. */
function files() {
  const out: Record<string, Uint8Array | Record<string, unknown>> = {
    ".zgroup": { zarr_format: 2 },
    "posterior/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("posterior", CHAINS, DRAWS),
    "posterior/param/.zarray": zarray("<U2", [PARAMS.length], [PARAMS.length]),
    "posterior/param/.zattrs": dims("param"),
    "posterior/param/0": utf32(PARAMS, 2),
    "posterior/theta/.zarray": zarray("<f8", [CHAINS, DRAWS, PARAMS.length], [1, 4, 3]),
    "posterior/theta/.zattrs": dims("chain", "draw", "param"),
    "constant_data/.zgroup": { zarr_format: 2 },
    "constant_data/.zattrs": { sample_dims: [] },
    "constant_data/param/.zarray": zarray("<U2", [W_PARAMS.length], [W_PARAMS.length]),
    "constant_data/param/.zattrs": dims("param"),
    "constant_data/param/0": utf32(W_PARAMS, 2),
    "constant_data/w/.zarray": zarray("<f8", [W_PARAMS.length], [3]),
    "constant_data/w/.zattrs": dims("param"),
    "constant_data/w/0": asBytes(Float64Array.from(W_PARAMS.slice(0, 3), w)),
    "constant_data/w/1": asBytes(Float64Array.from([...W_PARAMS.slice(3), "p9"], (l, i) => (i < 2 ? w(l) : 0))),
  };
  for (let c = 0; c < CHAINS; c++) {
    for (let dc = 0; dc < 3; dc++) {
      for (let pc = 0; pc < 3; pc++) {
        const chunk = new Float64Array(4 * 3);
        for (let d = 0; d < 4; d++) for (let p = 0; p < 3; p++) chunk[d * 3 + p] = theta(c, dc * 4 + d, pc * 3 + p);
        out[`posterior/theta/${c}.${dc}.${pc}`] = asBytes(chunk);
      }
    }
  }
  return out;
}

/** The trace, and the chunk keys of theta and w read since the last `reads.length = 0`. */
const countedTrace = () => countingTrace(files(), /\/(theta|w)\/\d/);

const keys = (chains: number[], drawChunks: number[], paramChunks: number[]) => chains.flatMap((c) => drawChunks.flatMap((dc) => paramChunks.map((pc) => `posterior/theta/${c}.${dc}.${pc}`))).sort();

/** Rows as `chain,draw,param,values...` whose theta (and w) must match the labels. */
function wrongRows(csv: string): string[] {
  return csv
    .trim()
    .split("\n")
    .slice(1)
    .filter((row) => {
      const [c, d, param, value, wValue] = row.split(",");
      const rightW = wValue === undefined || Number(wValue) === w(param);
      return Number(value) !== theta(Number(c), Number(d), PARAMS.indexOf(param)) || !rightW;
    });
}

describe("selection plans: which chunks a query reads", () => {
  it("splits picks by chunk along each axis, edge chunks included, in any order", () => {
    const array = { shape: [CHAINS, DRAWS, 7], chunks: [1, 4, 3] } as unknown as ZarrArray;
    const plan = planSelection(array, [[0, 1], [9, 0, 5], [6]]);
    expect(plan.shape).toEqual([2, 3, 1]);
    expect(plan.axes.map((a) => a.chunks)).toEqual([[0, 1], [0, 1, 2], [2]]);
    expect(plan.chunkCount).toBe(6);
    const draws = plan.axes[1].parts;
    expect([2, 0, 1].map((c) => [...draws.get(c)!.out, ...draws.get(c)!.within])).toEqual([
      [0, 1],
      [1, 0],
      [2, 1],
    ]);
    expect(selectionChunks(plan)).toEqual([
      [0, 0, 2],
      [0, 1, 2],
      [0, 2, 2],
      [1, 0, 2],
      [1, 1, 2],
      [1, 2, 2],
    ]);
  });

  it("a selection of two params reads only the chunks that hold them", async () => {
    const { trace, reads } = await countedTrace();
    const progress: ExtractProgress[] = [];
    const table = await trace.extract("theta[param=p6|p0]", { onProgress: (p) => progress.push(p) });
    expect([...reads].sort()).toEqual(keys([0, 1], [0, 1, 2], [0, 2]));
    expect(table.numRows).toBe(CHAINS * DRAWS * 2);
    expect(wrongRows(toCsv(table))).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ chunksDone: 12, chunksTotal: 12, arraysDone: 1, arraysTotal: 1 });
  });

  it("one label reads one column of chunks", async () => {
    const { trace, reads } = await countedTrace();
    const table = await trace.extract("theta[param=p4]");
    expect([...reads].sort()).toEqual(keys([0, 1], [0, 1, 2], [1]));
    expect(toCsv(table).trim().split("\n").slice(0, 3)).toEqual(["chain,draw,param,theta", "0,0,p4,4", "0,1,p4,14"]);
  });

  it("a join of differently chunked variables reads the chunks holding the joined labels", async () => {
    const { trace, reads } = await countedTrace();
    const table = await trace.extract("theta[param], constant_data/w[param]");
    // w has p0..p4 only: theta's last param chunk (p6) is never read, w's both chunks are.
    expect([...reads].sort()).toEqual([...keys([0, 1], [0, 1, 2], [0, 1]), "constant_data/w/0", "constant_data/w/1"].sort());
    expect(table.numRows).toBe(CHAINS * DRAWS * 5);
    expect(wrongRows(toCsv(table))).toEqual([]);
  });

  it("a query over the memory budget is refused before anything is read, with its size and how to narrow it", async () => {
    const { trace, reads } = await countedTrace();
    // 2 × 10 × 5 rows × (chain 1 + draw 1 + param 1 + theta 8 + w 8 bytes) = 1,900 bytes.
    await expect(trace.extract("theta[param], constant_data/w[param]", { budget: 1899 })).rejects.toThrow(
      new BudgetError(
        "theta[param], constant_data/w[param] would make a table of 100 rows × 19 bytes = 0.0 MB, over the memory budget of 0.0 MB. " +
          "Narrow it: pick labels (e.g. theta[param=p0|p1]) or fewer specs, or raise the budget.",
      ),
    );
    expect(reads).toEqual([]);
    expect((await trace.extract("theta[param], constant_data/w[param]", { budget: 1900 })).numRows).toBe(100);
  });

  it("a join that picks nothing gives no rows, typed as the variables' dtypes, and reads no chunk", async () => {
    const { trace, reads } = await countedTrace();
    const table = await trace.extract("theta[param=p6], constant_data/w[param]");
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.slice(3).map((f) => `${f.name}:${f.type}`)).toEqual(["theta:Float64", "w:Float64"]);
    expect(reads).toEqual([]);
  });
});

describe("reading several outputs from each chunk", () => {
  /** theta's values for params [from, to) of every chain and draw, draw after draw (as a block's slabs are read for LOO). */
  const drawAfterDraw = (from: number, to: number, drawsPicked: number[]) =>
    Float64Array.from({ length: CHAINS * drawsPicked.length * (to - from) }, (_, i) => {
      const p = from + (i % (to - from));
      const row = Math.floor(i / (to - from));
      return theta(Math.floor(row / drawsPicked.length), drawsPicked[row % drawsPicked.length], p);
    });
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

  async function readInto(slabs: [number, number, number[]][]) {
    const opened = await openTree(memoryStore(files()));
    const array = opened.arrays.get("posterior/theta") as ZarrArray;
    const targets = slabs.map(([from, to, draws]) => ({
      out: { kind: "number" as const, data: new Float64Array(CHAINS * draws.length * (to - from)) },
      strides: [draws.length * (to - from), to - from, 1],
      plan: planSelection(array, [upTo(CHAINS), draws, upTo(to - from).map((i) => from + i)]),
    }));
    await readSelectionsInto(targets, array, {}, 2);
    return targets.map((t) => t.out.data);
  }

  it("slabs of params sharing a chunk's rows each get exactly their values, a slab spanning two chunks too", async () => {
    const slabs: [number, number, number[]][] = [
      [0, 3, upTo(DRAWS)],
      [3, 5, upTo(DRAWS)],
      [5, 7, upTo(DRAWS)],
    ];
    expect(await readInto(slabs)).toEqual(slabs.map(([from, to, draws]) => drawAfterDraw(from, to, draws)));
  });

  it("gives back each chunk's lent buffer once its values are copied, for the next chunk to be read into", async () => {
    const { store, list, label } = memoryStore(files());
    const lent: ArrayBuffer[] = [];
    // Chunk bytes as a reader that reads into buffers for reuse gives them (NodeFolderStore).
    const lending = async (key: AbsolutePath) => {
      const bytes = await store.get(key);
      if (!bytes || !/theta\/\d/.test(key)) return bytes;
      const view = ownedView(takeBuffer(bytes.length), bytes.length);
      view.set(bytes);
      lent.push(view.buffer);
      return view;
    };
    const opened = await openTree({ store: { get: lending }, list, label });
    const array = opened.arrays.get("posterior/theta") as ZarrArray;
    const out = new Float64Array(CHAINS * DRAWS * 3);
    await readSelectionsInto([{ out: { kind: "number", data: out }, strides: [DRAWS * 3, 3, 1], plan: planSelection(array, [upTo(CHAINS), upTo(DRAWS), [0, 1, 2]]) }], array, {}, 1);
    expect(out).toEqual(drawAfterDraw(0, 3, upTo(DRAWS)));
    // Read one at a time, each chunk went back before the next was read into the same buffer.
    expect(lent.length).toBe(CHAINS * 3);
    expect(new Set(lent).size).toBe(1);
  });

  it("outputs taking other rows of the same chunks each get theirs", async () => {
    const slabs: [number, number, number[]][] = [
      [0, 2, [9, 0, 4]],
      [1, 3, upTo(DRAWS)],
      [3, 4, [2, 3]],
      [4, 5, [2, 3]],
    ];
    expect(await readInto(slabs)).toEqual(slabs.map(([from, to, draws]) => drawAfterDraw(from, to, draws)));
  });
});
