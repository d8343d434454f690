import { describe, expect, it } from "vitest";
import type { DiagnosedBlock } from "../src/engine/diagnose.ts";
import { blockValuesOf, chunkRuns, columnValues, MEMORY_BOUND, planBlocks, readBudget, splitBlock, type ElementBlock } from "../src/engine/diagnose-blocks.ts";
import type { WorkPool, WorkRequest } from "../src/engine/pool/pool.ts";
import { elementName } from "../src/engine/diagnostics-output.ts";
import { DIAGNOSTIC_NAMES } from "../src/engine/stats/diagnostics.ts";
import { diagnoseBlock } from "../src/engine/stats/diagnose-block.ts";
import { uniforms } from "../src/engine/stats/random.ts";
import { inThreadPool } from "./in-thread-pool.ts";
import { countingTrace, dims, float64Array, sampleCoordinates, utf32, zarray } from "./memory-store.ts";

const WIDTH = DIAGNOSTIC_NAMES.length;
/** The chunk runs of labels 0 … n-1 in chunks of `chunk`. */
const runsOf = (n: number, chunk: number) =>
  chunkRuns(
    Int32Array.from({ length: n }, (_, i) => i),
    chunk,
  );
const CHAINS = 3;
const DRAWS = 20;
const PARAMS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
const SCHOOLS = 5;
const YEARS = 4;

/** Draws with some autocorrelation, and every third element's first chain shifted, so R-hat and ESS vary. */
function makeValues(elements: number, seed: number): Float64Array {
  const uniform = uniforms(seed);
  const values = new Float64Array(elements * CHAINS * DRAWS);
  for (let e = 0; e < elements; e++) {
    for (let c = 0; c < CHAINS; c++) {
      let x = 0;
      for (let d = 0; d < DRAWS; d++) {
        x = 0.6 * x + uniform() - 0.5;
        values[(e * CHAINS + c) * DRAWS + d] = x + (e % 3 === 0 && c === 0 ? 0.4 : 0) + e;
      }
    }
  }
  return values;
}

/** Each element's draws, chain after chain: what every chunking must give the same diagnostics of. */
const THETA = makeValues(PARAMS.length, 1);
const ETA = makeValues(SCHOOLS * YEARS, 2);
const LAMBDA = makeValues(PARAMS.length, 3);
const draw = (values: Float64Array, element: number, c: number, d: number) => values[(element * CHAINS + c) * DRAWS + d];

interface Chunking {
  theta: number[];
  eta: number[];
  lambda: number[];
}

/**
 * theta[chain, draw, param], eta[chain, draw, school, year] and lambda[param, chain, draw] (its own
 * dimension first), the same values in the chunks given.
 */
function files(chunks: Chunking) {
  return {
    ".zgroup": { zarr_format: 2 },
    "posterior/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("posterior", CHAINS, DRAWS),
    "posterior/param/.zarray": zarray("<U2", [PARAMS.length], [PARAMS.length]),
    "posterior/param/.zattrs": dims("param"),
    "posterior/param/0": utf32(PARAMS, 2),
    ...float64Array("posterior/theta", ["chain", "draw", "param"], [CHAINS, DRAWS, PARAMS.length], chunks.theta, ([c, d, p]) => draw(THETA, p, c, d)),
    ...float64Array("posterior/eta", ["chain", "draw", "school", "year"], [CHAINS, DRAWS, SCHOOLS, YEARS], chunks.eta, ([c, d, s, y]) => draw(ETA, s * YEARS + y, c, d)),
    ...float64Array("posterior/lambda", ["param", "chain", "draw"], [PARAMS.length, CHAINS, DRAWS], chunks.lambda, ([p, c, d]) => draw(LAMBDA, p, c, d)),
  };
}

const WHOLE: Chunking = { theta: [CHAINS, DRAWS, PARAMS.length], eta: [CHAINS, DRAWS, SCHOOLS, YEARS], lambda: [PARAMS.length, CHAINS, DRAWS] };
/** Edge chunks along every axis: 20 draws = 6+6+6+2, 7 params = 3+3+1, 5 schools = 2+2+1, 4 years = 3+1. */
const EDGES: Chunking = { theta: [1, 6, 3], eta: [1, 6, 2, 3], lambda: [3, 1, 6] };
/** Whole along chain and draw, one element per chunk; and chains cut unevenly (3 = 2+1). */
const COLUMNS: Chunking = { theta: [CHAINS, DRAWS, 1], eta: [CHAINS, DRAWS, 1, 1], lambda: [1, CHAINS, DRAWS] };
const UNEVEN: Chunking = { theta: [2, 7, 4], eta: [2, 20, 3, 4], lambda: [4, 2, 20] };

/** A trace over the files, and every chunk key of its variables read, in order. */
const countedTrace = (chunks: Chunking) => countingTrace(files(chunks), /\/(theta|eta|lambda)\/\d/);

/** Each element's diagnostics by name, checking that blocks are consecutive elements at their index. */
function byElement(blocks: DiagnosedBlock[]): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const block of [...blocks].sort((a, b) => a.index - b.index)) {
    for (let i = 0; i < block.count; i++) {
      out.set(
        elementName(
          block.target.variable.name,
          block.labels.map((l) => l[i]),
        ),
        block.stats.slice(i * WIDTH, (i + 1) * WIDTH),
      );
    }
  }
  return out;
}

async function diagnoseAll(chunks: Chunking, query?: string, memoryBound?: number, pool?: WorkPool) {
  const { trace, reads } = await countingTrace(files(chunks), /\/(theta|eta|lambda)\/\d/, pool);
  const blocks: DiagnosedBlock[] = [];
  const scope = query ? { kind: "query" as const, query, groups: [] } : { kind: "group" as const, group: "posterior" };
  const total = await trace.diagnose(scope, { onBlock: (b) => blocks.push(b), memoryBound });
  return { total, blocks, stats: byElement(blocks), reads };
}

/** The diagnostics of one element's draws, computed directly. */
const expected = (values: Float64Array, element: number) => diagnoseBlock({ draws: values.slice(element * CHAINS * DRAWS, (element + 1) * CHAINS * DRAWS), chains: CHAINS, count: 1 });

/** Every element's expected diagnostics, by name, in the scope's order. */
function reference(): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  PARAMS.forEach((p, i) => out.set(`theta[${p}]`, expected(THETA, i)));
  for (let s = 0; s < SCHOOLS; s++) for (let y = 0; y < YEARS; y++) out.set(`eta[${s}, ${y}]`, expected(ETA, s * YEARS + y));
  PARAMS.forEach((p, i) => out.set(`lambda[${p}]`, expected(LAMBDA, i)));
  return out;
}

const keyCounts = (reads: string[]) => reads.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
const thetaKeys = (chains: number[], drawChunks: number[], paramChunks: number[]) =>
  chains.flatMap((c) => drawChunks.flatMap((dc) => paramChunks.map((pc) => `posterior/theta/${c}.${dc}.${pc}`))).sort();

describe("diagnostics read chunk by chunk", () => {
  it.each([
    ["whole", WHOLE],
    ["1×6×3 with edge chunks", EDGES],
    ["one element per chunk", COLUMNS],
    ["uneven chains", UNEVEN],
  ] as const)("%s: every element's diagnostics are those of its draws", async (_, chunks) => {
    const { total, blocks, stats } = await diagnoseAll(chunks);
    expect(total).toBe(2 * PARAMS.length + SCHOOLS * YEARS);
    expect([...stats.keys()]).toEqual([...reference().keys()]);
    for (const [name, want] of reference()) expect(stats.get(name), name).toEqual(want);
    // Blocks are consecutive elements: together they cover the indices 0 … total-1 once each.
    const indices = blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.index + i)).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it("on a pool of two workers, diagnoses each block in four slabs that move to the workers and back, with the same values", async () => {
    const received: WorkRequest[] = [];
    const { total, blocks, stats } = await diagnoseAll(EDGES, undefined, undefined, inThreadPool(2, received));
    expect(stats).toEqual(reference());
    const jobs = received.flatMap((r) => ("block" in r && r.block.kind === "diagnose" ? [r.block.block.count] : []));
    // theta's 7 params as slabs of 2, 2, 2 and 1; eta's 5 schools × 4 years by school (2, 2, 1 schools); lambda as theta.
    expect(jobs).toEqual([2, 2, 2, 1, 8, 8, 4, 2, 2, 2, 1]);
    expect(blocks.map((b) => b.count)).toEqual(jobs);
    expect(total).toBe(34);
  });

  it("gives the same values when a tiny memory bound cuts blocks down to single elements", async () => {
    const { stats, reads } = await diagnoseAll(EDGES, undefined, 600);
    expect(stats).toEqual(reference());
    // Each of theta's chunks holds three params (one in the edge chunk) and is read once per element.
    const counts = keyCounts(reads.filter((k) => k.includes("theta")));
    expect(counts.get("posterior/theta/0.0.0")).toBe(3);
    expect(counts.get("posterior/theta/2.3.2")).toBe(1);
  });

  it("reads each chunk once when chunk columns fit the bound, and a column cut in two twice", async () => {
    const once = await diagnoseAll(EDGES, "theta");
    expect(once.reads.sort()).toEqual(thetaKeys([0, 1, 2], [0, 1, 2, 3], [0, 1, 2]));
    // 1,000 bytes: one 144-byte chunk read at a time, blocks of at most 107 values, so a chunk
    // column of 3 params × 60 draws (180 values) is cut into 2 + 1 params.
    const split = await diagnoseAll(EDGES, "theta", 1000);
    expect(split.stats).toEqual(once.stats);
    const counts = keyCounts(split.reads);
    expect(thetaKeys([0, 1, 2], [0, 1, 2, 3], [0, 1]).map((k) => counts.get(k))).toEqual(new Array(24).fill(2));
    expect(thetaKeys([0, 1, 2], [0, 1, 2, 3], [2]).map((k) => counts.get(k))).toEqual(new Array(12).fill(1));
  });

  it("reads the next block while one is computed when two fit, and not before it is done when one does", async () => {
    /** The order of theta's chunk reads (by param chunk) and of its blocks' results (by first element). */
    async function events(memoryBound: number) {
      const { trace, reads } = await countedTrace(EDGES);
      const log: string[] = [];
      await trace.diagnose(
        { kind: "query", query: "theta", groups: [] },
        {
          memoryBound,
          onBlock: (b) => {
            log.push(...reads.splice(0).map((k) => `read ${k.split(".").at(-1)}`));
            log.push(`block ${b.index}`);
          },
        },
      );
      return [...new Set(log)];
    }
    // 4,000 bytes: two blocks of one chunk column (3 params) each; a block's chunks are read while
    // the block before is computed, once the one before that is done.
    expect(await events(4000)).toEqual(["read 0", "read 1", "block 0", "read 2", "block 3", "block 6"]);
    // 1,000 bytes: one block of at most 107 values at a time.
    expect(await events(1000)).toEqual(["read 0", "block 0", "block 2", "read 1", "block 3", "block 5", "read 2", "block 6"]);
  });

  it("a query-scoped selection reads only the chunks holding its labels", async () => {
    const two = await diagnoseAll(EDGES, "theta[param=p5|p1]");
    expect(two.total).toBe(2);
    expect(two.reads.sort()).toEqual(thetaKeys([0, 1, 2], [0, 1, 2, 3], [0, 1]));
    expect(two.stats).toEqual(
      new Map([
        ["theta[p1]", expected(THETA, 1)],
        ["theta[p5]", expected(THETA, 5)],
      ]),
    );
    const edge = await diagnoseAll(EDGES, "theta[param=p6]");
    expect(edge.reads.sort()).toEqual(thetaKeys([0, 1, 2], [0, 1, 2, 3], [2]));
    expect(edge.stats).toEqual(new Map([["theta[p6]", expected(THETA, 6)]]));
  });

  it("a selection over two dimensions reads the chunks holding it, with the elements in order", async () => {
    const { stats, reads, blocks } = await diagnoseAll(EDGES, "eta[school=1|4, year=3]");
    // Schools 1 and 4 are in school chunks 0 and 2, year 3 in year chunk 1: 3 chains × 4 draw chunks × 2.
    expect(new Set(reads).size).toBe(reads.length);
    expect(reads.sort()).toEqual(
      [0, 1, 2]
        .flatMap((c) => [0, 1, 2, 3].flatMap((d) => [`${c}.${d}.0.1`, `${c}.${d}.2.1`]))
        .map((k) => `posterior/eta/${k}`)
        .sort(),
    );
    expect([...stats.keys()]).toEqual(["eta[1, 3]", "eta[4, 3]"]);
    expect(stats.get("eta[4, 3]")).toEqual(expected(ETA, 4 * YEARS + 3));
    expect(blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => b.index + i)).sort()).toEqual([0, 1]);
  });
});

describe("diagnostics blocks: bounded, consecutive, inside one chunk per dimension", () => {
  const MiB = 2 ** 20;

  /** Every block's values and its own positions; failing when blocks leave a gap or overlap. */
  function checkCover(blocks: ElementBlock[], total: number): void {
    let next = 0;
    for (const block of blocks) {
      expect(block.from).toBe(next);
      next += block.count;
    }
    expect(next).toBe(total);
  }

  it("cuts a block into slabs of consecutive elements along its first dimension with more than one label", () => {
    const block: ElementBlock = {
      from: 20,
      count: 20,
      ranges: [
        [2, 7],
        [0, 4],
      ],
    };
    expect(splitBlock(block, 2)).toEqual([
      {
        from: 20,
        count: 12,
        ranges: [
          [2, 5],
          [0, 4],
        ],
      },
      {
        from: 32,
        count: 8,
        ranges: [
          [5, 7],
          [0, 4],
        ],
      },
    ]);
    // One label of the first dimension: cut along the second; never more slabs than labels.
    expect(
      splitBlock(
        {
          from: 8,
          count: 3,
          ranges: [
            [2, 3],
            [1, 4],
          ],
        },
        4,
      ),
    ).toEqual([
      {
        from: 8,
        count: 1,
        ranges: [
          [2, 3],
          [1, 2],
        ],
      },
      {
        from: 9,
        count: 1,
        ranges: [
          [2, 3],
          [2, 3],
        ],
      },
      {
        from: 10,
        count: 1,
        ranges: [
          [2, 3],
          [3, 4],
        ],
      },
    ]);
    expect(splitBlock(block, 1)).toEqual([block]);
    expect(splitBlock({ from: 0, count: 1, ranges: [[3, 4]] }, 4)).toEqual([{ from: 0, count: 1, ranges: [[3, 4]] }]);
  });

  it("cuts labels into runs held by one chunk", () => {
    expect(chunkRuns(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 7],
    ]);
    expect(chunkRuns(Int32Array.from([1, 5, 6, 20]), 3)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ]);
    expect(chunkRuns(Int32Array.from([4, 5, 7]), 10)).toEqual([[0, 3]]);
  });

  it("keeps the 3 GiB variable (100,000 params × 4 × 1,000, chunks 1×100×10,000) within the bound", () => {
    const budget = readBudget([1, 100, 10_000], 4000, 10_000 * 4000, MEMORY_BOUND, 8);
    // A chunk column (320 MB) does not fit twice: one block at a time.
    expect(budget).toEqual({ readsInFlight: 6, blocksInFlight: 1, blockValues: (384 * MiB - 6 * 8e6) / 8 });
    expect(budget.blockValues * 8 + budget.readsInFlight * 8e6).toBeLessThanOrEqual(MEMORY_BOUND);
    const runs = runsOf(100_000, 10_000);
    const blocks = planBlocks([runs], 4000, budget.blockValues);
    // A block per 10,000-param chunk column (320 MB of draws): each chunk is read once.
    expect(blocks).toHaveLength(10);
    expect(blocks.slice(0, 2)).toEqual([
      { from: 0, count: 10_000, ranges: [[0, 10_000]] },
      { from: 10_000, count: 10_000, ranges: [[10_000, 20_000]] },
    ]);
    checkCover(blocks, 100_000);
  });

  it("reads a large target in at least four blocks, so the work starts after a quarter of the reading", () => {
    // The LOO bench's log-likelihood: 10,000 observations × 4 × 1,000 draws, chunks of 2,500
    // observations (a chunk column of 10 M values). The budget would take two 5,000-observation
    // blocks; a quarter of the target is one chunk column.
    const budget = readBudget([1, 1000, 2500], 4000, 2500 * 4000, MEMORY_BOUND, 8);
    expect(budget.blockValues).toBeGreaterThanOrEqual(5000 * 4000);
    const blockValues = blockValuesOf(budget.blockValues, 2500 * 4000, 10_000 * 4000);
    expect(blockValues).toBe(2500 * 4000);
    expect(planBlocks([runsOf(10_000, 2500)], 4000, blockValues).map((b) => b.count)).toEqual([2500, 2500, 2500, 2500]);
    // Never below a chunk column (each chunk read once), nor below 32 MB (a small target is read quickly anyway)…
    expect(blockValuesOf(budget.blockValues, 3000 * 4000, 10_000 * 4000)).toBe(3000 * 4000);
    expect(blockValuesOf(budget.blockValues, 180, 7 * 60)).toBe(1 << 22);
    // …and never above the budget.
    expect(blockValuesOf(1000, 180, 10_000 * 4000)).toBe(1000);
  });

  it("measures the largest chunk column: the least a block holds to read each chunk once", () => {
    expect(columnValues([chunkRuns(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), 3)], 60)).toBe(180);
    expect(columnValues([chunkRuns(Int32Array.from([0, 1, 2, 3, 4]), 2), chunkRuns(Int32Array.from([0, 1, 2, 3]), 3)], 10)).toBe(80);
    expect(columnValues([], 60)).toBe(60);
  });

  it("joins chunk columns that fit together, and cuts one too big into even parts", () => {
    const runs = [runsOf(7, 3)];
    expect(planBlocks(runs, 60, 400).map((b) => b.ranges)).toEqual([[[0, 6]], [[6, 7]]]);
    expect(planBlocks(runs, 60, 120).map((b) => b.ranges)).toEqual([[[0, 2]], [[2, 3]], [[3, 5]], [[5, 6]], [[6, 7]]]);
    checkCover(planBlocks(runs, 60, 120), 7);
  });

  it("keeps variables chunked whole along chain and draw within the bound, one chunk read at a time when chunks are big", () => {
    // 4 × 1,000 × 1,000 chunks (32 MB): one chunk in flight, two blocks of as many chunk columns as fit.
    const small = readBudget([4, 1000, 1000], 4000, 1000 * 4000, MEMORY_BOUND, 8);
    expect(small).toEqual({ readsInFlight: 1, blocksInFlight: 2, blockValues: (384 * MiB - 32e6) / 16 });
    expect(2 * small.blockValues * 8 + 32e6).toBeLessThanOrEqual(MEMORY_BOUND);
    const columns = planBlocks([runsOf(100_000, 1000)], 4000, small.blockValues);
    expect(columns.map((b) => b.count)).toEqual(new Array(20).fill(5000));
    // 4 × 1,000 × 10,000 chunks (320 MB): the chunk read alone; blocks still get a quarter of the
    // bound, so the chunk is read once per quarter of its elements.
    const big = readBudget([4, 1000, 10_000], 4000, 10_000 * 4000, MEMORY_BOUND, 8);
    expect(big).toEqual({ readsInFlight: 1, blocksInFlight: 1, blockValues: (96 * MiB) / 8 });
    const blocks = planBlocks([runsOf(10_000, 10_000)], 4000, big.blockValues);
    expect(blocks.map((b) => b.count)).toEqual([2500, 2500, 2500, 2500]);
    // A chunk bigger than the bound: the same.
    expect(readBudget([4, 1000, 100_000], 4000, 100_000 * 4000, MEMORY_BOUND, 8)).toEqual({ readsInFlight: 1, blocksInFlight: 1, blockValues: (96 * MiB) / 8 });
  });

  it("over several dimensions, blocks are whole chunk rows of the outer one, or single labels of it when those are too big", () => {
    // school × year = 5 × 4, chunks of 2 schools and 3 years, 10 values per element.
    const runs = [chunkRuns(Int32Array.from([0, 1, 2, 3, 4]), 2), chunkRuns(Int32Array.from([0, 1, 2, 3]), 3)];
    expect(planBlocks(runs, 10, 80).map((b) => b.ranges)).toEqual([
      [
        [0, 2],
        [0, 4],
      ],
      [
        [2, 4],
        [0, 4],
      ],
      [
        [4, 5],
        [0, 4],
      ],
    ]);
    const tight = planBlocks(runs, 10, 30);
    checkCover(tight, 20);
    for (const block of tight) expect(block.count * 10).toBeLessThanOrEqual(30);
    // A school's four years (40 values) do not fit: each school is cut by year chunk.
    expect(tight.slice(0, 2).map((b) => b.ranges)).toEqual([
      [
        [0, 1],
        [0, 3],
      ],
      [
        [0, 1],
        [3, 4],
      ],
    ]);
    // One element over the bound still makes a block of one.
    expect(planBlocks([chunkRuns(Int32Array.from([0, 1]), 2)], 10, 5).map((b) => b.count)).toEqual([1, 1]);
    expect(planBlocks([], 10, 5)).toEqual([{ from: 0, count: 1, ranges: [] }]);
  });
});
