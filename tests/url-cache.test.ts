import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { StoreError } from "../src/engine/errors.ts";
import { CachedStore, isMetadataKey } from "../src/engine/store/cached.ts";
import { openPath } from "../src/engine/store/node.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { DIAGNOSTIC_NAMES } from "../src/engine/stats/diagnostics.ts";
import { openTrace, type Trace } from "../src/engine/trace.ts";
import type { WorkRequest } from "../src/engine/pool/pool.ts";
import { startFixtureServer, type FixtureServer } from "./fixture-server.ts";
import { inThreadPool } from "./in-thread-pool.ts";
import { expectSameRows, FIXTURES, goldenCases, goldenCsv, parseCsv } from "./golden.ts";

const EXPECTED = "grouped_regression.expected";
const CASES = goldenCases(EXPECTED);
const STORES = ["grouped_regression.zarr", "grouped_regression.v3.zarr", "grouped_regression.zarr.zip", "grouped_regression.v3.zarr.zip"];
/** Smaller than the chunks the golden queries read together; it keeps most single chunks (those up to a sixteenth, 62.5 kB). */
const SMALL_CACHE = 1_000_000;
/** The chunk `sigma` lives in (one chunk, 4 chains × 400 draws), as each format names it. */
const SIGMA_CHUNK: Record<string, string> = {
  "grouped_regression.zarr": "/grouped_regression.zarr/posterior/sigma/0.0",
  "grouped_regression.v3.zarr": "/grouped_regression.v3.zarr/posterior/sigma/c/0/0",
};

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(FIXTURES, { ranges: true, cors: false });
});
afterAll(() => server.close());

async function openByUrl(store: string, cacheBytes?: number): Promise<{ trace: Trace; cache: CachedStore }> {
  const source = await openUrl(`http://127.0.0.1:${server.port}/${store}`, { cacheBytes });
  expect(source.store).toBeInstanceOf(CachedStore);
  return { trace: await openTrace(source), cache: source.store as CachedStore };
}

/** Run every golden case, checking only the row counts. */
async function runCases(trace: Trace): Promise<void> {
  for (const c of CASES) expect((await trace.extract(c.specs, { groups: [c.group] })).numRows).toBe(c.rows);
}

/** Run every golden case and compare its table with the golden, as extract.golden.test.ts does. */
async function runGoldenCases(trace: Trace, afterEach: () => void = () => undefined, cases = CASES): Promise<void> {
  for (const c of cases) {
    const table = await trace.extract(c.specs, { groups: [c.group] });
    expect(table.numRows).toBe(c.rows);
    expectSameRows(parseCsv(toCsv(table)), goldenCsv(EXPECTED, c.table), c.columns.length - c.specs.length);
    afterEach();
  }
}

/** Requests asked more than once, with their counts. */
function repeated(requests: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}

const pathOf = (request: string) => request.split(" ")[1];

describe.each(STORES)("%s by URL", (store) => {
  const zipped = store.endsWith(".zip");

  it("fetches each metadata document once and each chunk once: a second run of the queries asks for nothing", async () => {
    server.requests.length = 0;
    const { trace } = await openByUrl(store);
    const opened = server.requests.length;
    await runCases(trace);
    const firstRun = server.requests.length;
    expect(firstRun).toBeGreaterThan(opened);
    await runCases(trace);
    expect(server.requests.slice(firstRun)).toEqual([]);
    // Over HTTP a folder answers one path per key, a zip one byte range per read: none asked twice,
    // so neither the zip's central directory nor any metadata document (present or absent) is read again.
    expect(repeated(server.requests)).toEqual([]);
    if (zipped) {
      expect(server.requests.filter((r) => r.startsWith("HEAD"))).toHaveLength(1);
    } else {
      const metadata = server.requests.map(pathOf).filter(isMetadataKey);
      expect(metadata).toContain(`/${store}/zarr.json`);
      expect(metadata.length).toBe(store.includes("v3") ? 1 : 3);
    }
  });

  it("with a cache smaller than the data, evicts (never holding more than its bound) and still reproduces the goldens", async () => {
    server.requests.length = 0;
    const { trace, cache } = await openByUrl(store, SMALL_CACHE);
    const opened = server.requests.length;
    const heldAfterEach: number[] = [];
    await runGoldenCases(trace, () => heldAfterEach.push(cache.chunkBytes));
    const firstRun = server.requests.length;
    await runGoldenCases(trace, () => heldAfterEach.push(cache.chunkBytes));
    expect(Math.max(...heldAfterEach)).toBeLessThanOrEqual(SMALL_CACHE);
    expect(Math.max(...heldAfterEach)).toBeGreaterThan(0);
    const secondRun = server.requests.slice(firstRun);
    expect(secondRun.length).toBeGreaterThan(0);
    expect(secondRun.length).toBeLessThan(firstRun - opened);
    if (!zipped) {
      expect(server.requests.map(pathOf).filter(isMetadataKey)).toEqual(server.requests.slice(0, opened).map(pathOf).filter(isMetadataKey));
      expect(repeated(server.requests.filter((r) => isMetadataKey(pathOf(r))))).toEqual([]);
    }
  });

  for (const fault of ["error", "short"] as const) {
    it(`does not keep a failed read (${fault === "error" ? "HTTP 500" : "a body that breaks off"}): the next run fetches it again`, async () => {
      const { trace } = await openByUrl(store);
      const faulty = SIGMA_CHUNK[store] ?? `/${store}`;
      server.requests.length = 0;
      server.faults.set(faulty, fault);
      const failure = await trace.extract("sigma").catch((e: unknown) => e);
      const faulted = server.requests[0];
      expect(pathOf(faulted)).toBe(faulty);
      expect(failure).toBeInstanceOf(StoreError);
      const message = (failure as Error).message;
      if (fault === "short") expect(message).toBe("cannot read chunk 0.0 of posterior/sigma: the server's answer broke off before its end (terminated): try again");
      else if (!zipped) expect(message).toBe("cannot read chunk 0.0 of posterior/sigma: Unexpected response status 500 Internal Server Error");
      else {
        const served = `http://127.0.0.1:${server.port}/${store}`.replaceAll(".", "\\.");
        expect(message).toMatch(new RegExp(`^cannot read bytes \\d+–\\d+ of ${served}: the server answered HTTP 500 Internal Server Error\\.$`));
      }
      const failed = server.requests.length;
      await runGoldenCases(
        trace,
        undefined,
        CASES.filter((c) => c.specs.join() === "sigma"),
      );
      expect(server.requests.slice(failed)).toContain(faulted);
    });
  }
});

describe.each([
  ["grouped_regression.zarr", "0.0.0"],
  ["grouped_regression.v3.zarr", "c/0/0/0"],
])("%s by URL on a pool of workers", (store, firstMu) => {
  const muChunk = `/${store}/posterior/mu/${firstMu}`;
  const scope = { kind: "query" as const, query: "mu[obs_ind]", groups: ["posterior"] };
  async function openPooled(received: WorkRequest[]): Promise<Trace> {
    return openTrace(await openUrl(`http://127.0.0.1:${server.port}/${store}`), { pool: inThreadPool(2, received) });
  }
  /** Each element's diagnostics, in the scope's order. */
  async function diagnostics(trace: Trace, signal?: AbortSignal): Promise<Float64Array[]> {
    const rows: Float64Array[] = [];
    await trace.diagnose(scope, {
      signal,
      onBlock: ({ index, count, stats }) => {
        for (let i = 0; i < count; i++) rows[index + i] = stats.slice((i * stats.length) / count, ((i + 1) * stats.length) / count);
      },
    });
    return rows;
  }

  it("summarised block by block, has its large chunks fetched by the workers that decode them, and keeps them for the next run", async () => {
    const received: WorkRequest[] = [];
    const trace = await openPooled(received);
    server.requests.length = 0;
    const pooled = await diagnostics(trace);
    expect(pooled).toEqual(await diagnostics(await openPath(join(FIXTURES, store))));
    const fetched = received.flatMap((r) => ("fetch" in r ? [new URL(r.fetch.url).pathname] : []));
    // mu's four chunks (2 × 200 × 96 float64, 300 kB decoded), each once; no metadata.
    expect(fetched.sort()).toEqual(
      server.requests
        .map(pathOf)
        .filter((path) => path.startsWith(`/${store}/posterior/mu/`))
        .sort(),
    );
    expect(fetched).toHaveLength(4);
    expect(fetched).toContain(muChunk);
    expect(repeated(server.requests)).toEqual([]);
    const firstRun = server.requests.length;
    await diagnostics(trace);
    expect(server.requests.slice(firstRun)).toEqual([]);
  });

  it("extracted as a table, has its chunks read on this thread (which holds the table), with the golden values", async () => {
    const received: WorkRequest[] = [];
    await runGoldenCases(await openPooled(received));
    expect(received.filter((r) => "fetch" in r)).toEqual([]);
    expect(received.filter((r) => "job" in r).length).toBeGreaterThan(0);
  });

  it("reads a chunk the server fails on with the error it has without a pool, and one it does not have as the fill value", async () => {
    const trace = await openPooled([]);
    server.faults.set(muChunk, "error");
    const failure = await diagnostics(trace).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toBe(`cannot read chunk ${firstMu.replace("c/", "").replaceAll("/", ".")} of /posterior/mu: Unexpected response status 500 Internal Server Error`);
    server.faults.set(muChunk, "missing");
    // The missing chunk held chains 0–1 of every observation: R-hat and ESS cannot be computed from NaN draws.
    const rows = await diagnostics(trace);
    const mean = DIAGNOSTIC_NAMES.indexOf("mean");
    expect(rows).toHaveLength(96);
    expect(rows.every((row) => Number.isNaN(row[mean]))).toBe(true);
    const table = await trace.extract("mu[obs_ind]");
    expect(Number.isNaN(table.getChild("mu")!.get(0))).toBe(true);
  });

  it("stops a worker's fetch when the read is cancelled", async () => {
    const received: WorkRequest[] = [];
    const trace = await openPooled(received);
    const controller = new AbortController();
    const reading = diagnostics(trace, controller.signal).catch((e: unknown) => e);
    while (!received.some((r) => "fetch" in r)) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    expect(((await reading) as Error).name).toBe("AbortError");
    const fetches = received.flatMap((r) => ("fetch" in r ? [r.id] : []));
    expect(received.filter((r) => "cancel" in r).map((r) => r.id)).toEqual(fetches);
  });
});

describe("a chunk over a sixteenth of the cache", () => {
  /** A store of one 1,000-byte chunk that counts its reads and can hold a read until released. */
  function countingStore() {
    const chunk = new Uint8Array(1000).fill(7);
    let release: () => void = () => undefined;
    const inner = {
      reads: 0,
      held: false,
      given: [] as Uint8Array[],
      async get() {
        inner.reads++;
        if (inner.held) await new Promise<void>((done) => (release = done));
        inner.given.push(chunk.slice());
        return inner.given[inner.given.length - 1];
      },
    };
    return { inner, release: () => release() };
  }

  it("is not kept, and goes to its one caller as it came, with no copy", async () => {
    const { inner } = countingStore();
    const cache = new CachedStore(inner, 15_000);
    const first = await cache.get("/a/0.0" as never);
    await cache.get("/a/0.0" as never);
    expect(inner.reads).toBe(2);
    expect(cache.chunkBytes).toBe(0);
    expect(first).toBe(inner.given[0]);
    // A chunk within a sixteenth is kept: read once.
    const roomy = countingStore();
    const kept = new CachedStore(roomy.inner, 16_000);
    await kept.get("/a/0.0" as never);
    await kept.get("/a/0.0" as never);
    expect(roomy.inner.reads).toBe(1);
    expect(kept.chunkBytes).toBe(1000);
  });

  it("read by two callers at once is fetched once, and each gets bytes of its own", async () => {
    const { inner, release } = countingStore();
    inner.held = true;
    const cache = new CachedStore(inner, 4000);
    const both = Promise.all([cache.get("/a/0.0" as never), cache.get("/a/0.0" as never)]);
    await new Promise((done) => setTimeout(done));
    release();
    const [a, b] = await both;
    expect(inner.reads).toBe(1);
    expect(a).not.toBe(b);
    // Moving one caller's buffer away (as a decoder does) leaves the other's whole.
    structuredClone(a!.buffer, { transfer: [a!.buffer] });
    expect(b).toEqual(new Uint8Array(1000).fill(7));
  });
});
