import { describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { DTypeError, StoreError } from "../src/engine/errors.ts";
import { openTrace } from "../src/engine/trace.ts";
import { asBytes, dims, memoryStore, sampleCoordinates, utf32, zarray } from "./memory-store.ts";

/**
 * A small v2 trace without consolidated metadata: 2 chains x 5 draws x 3 schools, float32 values
 * in chunks that do not divide the shape, one chunk skipped (fill value), booleans, 64-bit ints.
 */
/** m[chain, draw, school, k] = its indices as digits, so every row can be checked against its labels. */
const m = (c: number, d: number, s: number, k: number) => c * 1000 + d * 100 + s * 10 + k;

function syntheticFiles() {
  const theta = (c: number, d: number, s: number) => c * 100 + d * 10 + s + 0.5;
  const files: Record<string, Uint8Array | Record<string, unknown>> = {
    ".zgroup": { zarr_format: 2 },
    "posterior/.zgroup": { zarr_format: 2 },
    ...sampleCoordinates("posterior", 2, 5),
    "posterior/school/.zarray": zarray("<U3", [3], [3]),
    "posterior/school/.zattrs": dims("school"),
    "posterior/school/0": utf32(["A", "Bé", "C"], 3),
    "posterior/theta/.zarray": zarray("<f4", [2, 5, 3], [1, 2, 2], "NaN"),
    "posterior/theta/.zattrs": dims("chain", "draw", "school"),
    "posterior/flag/.zarray": zarray("|b1", [2, 5], [2, 5]),
    "posterior/flag/.zattrs": dims("chain", "draw"),
    "posterior/flag/0.0": new Uint8Array([1, 0, 0, 0, 1, 0, 1, 0, 0, 0]),
    "posterior/steps/.zarray": zarray("<i8", [2, 5], [2, 5]),
    "posterior/steps/.zattrs": dims("chain", "draw"),
    "posterior/steps/0.0": asBytes(new BigInt64Array([3n, 7n, 2n ** 53n, -4n, 0n, 1n, 1n, 1n, 1n, 1n])),
    "posterior/huge/.zarray": zarray("<i8", [2, 5], [2, 5]),
    "posterior/huge/.zattrs": dims("chain", "draw"),
    "posterior/huge/0.0": asBytes(new BigInt64Array([2n ** 53n + 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n])),
    "posterior/vec/.zarray": zarray("<i4", [2, 5, 2], [2, 5, 2]),
    "posterior/vec/.zattrs": dims("chain", "draw", "k"),
    "posterior/vec/0.0.0": asBytes(Int32Array.from({ length: 20 }, (_, i) => i)),
    "posterior/m/.zarray": zarray("<f8", [2, 5, 3, 2], [1, 5, 3, 2]),
    "posterior/m/.zattrs": dims("chain", "draw", "school", "k"),
    "posterior/m/0.0.0.0": asBytes(Float64Array.from({ length: 30 }, (_, i) => m(0, Math.floor(i / 6), Math.floor(i / 2) % 3, i % 2))),
    "posterior/m/1.0.0.0": asBytes(Float64Array.from({ length: 30 }, (_, i) => m(1, Math.floor(i / 6), Math.floor(i / 2) % 3, i % 2))),
    "constant_data/.zgroup": { zarr_format: 2 },
    "constant_data/.zattrs": { sample_dims: [] },
    "constant_data/school/.zarray": zarray("<U3", [2], [2]),
    "constant_data/school/.zattrs": dims("school"),
    "constant_data/school/0": utf32(["C", "A"], 3),
    "constant_data/x/.zarray": zarray("<f8", [2], [2]),
    "constant_data/x/.zattrs": dims("school"),
    "constant_data/x/0": asBytes(new Float64Array([30, 10])),
  };
  for (let c = 0; c < 2; c++) {
    for (let dc = 0; dc < 3; dc++) {
      for (let sc = 0; sc < 2; sc++) {
        if (c === 1 && dc === 2 && sc === 1) continue; // skipped: reads as the fill value, NaN
        const chunk = new Float32Array(4).fill(Number.NaN);
        for (let d = 0; d < 2; d++)
          for (let s = 0; s < 2; s++) {
            const draw = dc * 2 + d;
            const school = sc * 2 + s;
            if (draw < 5 && school < 3) chunk[d * 2 + s] = theta(c, draw, school);
          }
        if (c === 0 && dc === 0 && sc === 0) chunk[1] = Number.NaN;
        files[`posterior/theta/${c}.${dc}.${sc}`] = asBytes(chunk);
      }
    }
  }
  return files;
}

describe("a trace without consolidated metadata (listing fallback)", () => {
  it("describes groups, variables, dims and labels", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    expect(trace.tree.consolidated).toBe(false);
    const posterior = trace.tree.groups.find((g) => g.name === "posterior")!;
    expect(posterior.variables.map((v) => `${v.name}:${v.dtype}[${v.dims}] ${v.shape.join("x")}`).sort()).toEqual([
      "flag:bool[chain,draw] 2x5",
      "huge:int64[chain,draw] 2x5",
      "m:float64[chain,draw,school,k] 2x5x3x2",
      "steps:int64[chain,draw] 2x5",
      "theta:float32[chain,draw,school] 2x5x3",
      "vec:int32[chain,draw,k] 2x5x2",
    ]);
    expect(posterior.sampleDims).toEqual(["chain", "draw"]);
    expect(posterior.dims.find((d) => d.name === "school")!.labels).toEqual(["A", "Bé", "C"]);
    expect(trace.tree.groups.find((g) => g.name === "constant_data")!.sampleDims).toEqual([]);
  });

  it("keeps float32, NaN, skipped chunks and partial edge chunks", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const table = await trace.extract("theta[school]");
    expect(table.numRows).toBe(30);
    expect(String(table.schema.fields[3].type)).toBe("Float32");
    const rows = toCsv(table).trim().split("\n");
    expect(rows[0]).toBe("chain,draw,school,theta");
    const byKey = new Map(rows.slice(1).map((r) => [r.split(",").slice(0, 3).join(","), r.split(",")[3]]));
    expect(byKey.get("0,0,A")).toBe("0.5");
    expect(byKey.get("0,0,Bé")).toBe("");
    expect(byKey.get("0,4,C")).toBe("42.5");
    expect(byKey.get("1,3,Bé")).toBe("131.5");
    expect(byKey.get("1,4,C")).toBe("");
    expect(byKey.get("1,4,A")).toBe("140.5");
    expect(byKey.size).toBe(30);
  });

  it("inner-joins on labels across groups and broadcasts over chain and draw", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const table = await trace.extract("theta[school], constant_data/x");
    expect(table.numRows).toBe(2 * 5 * 2);
    const rows = toCsv(table).trim().split("\n");
    expect(rows[0]).toBe("chain,draw,school,theta,x");
    expect(rows.slice(1, 3)).toEqual(["0,0,A,0.5,10", "0,0,C,2.5,30"]);
    expect(rows.at(-1)).toBe("1,4,C,,30");
  });

  it("writes booleans as true/false and 64-bit integers exactly", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const table = await trace.extract("flag, steps");
    expect(toCsv(table).trim().split("\n").slice(0, 6)).toEqual(["chain,draw,flag,steps", "0,0,true,3", "0,1,false,7", "0,2,false,9007199254740992", "0,3,false,-4", "0,4,true,0"]);
  });

  it("spreads a 2-D variable with its dimensions in the order the spec names them", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const schools = ["A", "Bé", "C"];
    for (const query of ["m[k, school]", "m[k, school], vec[k]"]) {
      const rows = toCsv(await trace.extract(query))
        .trim()
        .split("\n");
      expect(rows[0]).toBe(query.includes("vec") ? "chain,draw,k,school,m,vec" : "chain,draw,k,school,m");
      expect(rows.length - 1).toBe(2 * 5 * 2 * 3);
      const wrong = rows.slice(1).filter((row) => {
        const [c, d, k, school, value, vec] = row.split(",");
        const expectedVec = vec === undefined || Number(vec) === Number(c) * 10 + Number(d) * 2 + Number(k);
        return Number(value) !== m(+c, +d, schools.indexOf(school), +k) || !expectedVec;
      });
      expect(wrong).toEqual([]);
    }
  });

  it("labels a dimension without a coordinate array 0..n-1", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const k = trace.tree.groups.find((g) => g.name === "posterior")!.dims.find((d) => d.name === "k")!;
    expect(k).toEqual({ name: "k", size: 2, labels: [0, 1], hasCoordinate: false });
    const rows = toCsv(await trace.extract("vec[k]"))
      .trim()
      .split("\n");
    expect(rows.slice(0, 4)).toEqual(["chain,draw,k,vec", "0,0,0,0", "0,0,1,1", "0,1,0,2"]);
    expect(rows.at(-1)).toBe("1,4,1,19");
  });

  it("refuses 64-bit integers a double cannot hold", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles()));
    const error = await trace.extract("huge").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DTypeError);
    expect((error as Error).message).toBe("/posterior/huge holds the 64-bit integer 9007199254740993, beyond ±2^53, which cannot be shown exactly as a number");
  });

  it("without a listing, finds ArviZ groups by name", async () => {
    const trace = await openTrace(memoryStore(syntheticFiles(), false));
    expect(trace.tree.groups.map((g) => g.name).sort()).toEqual(["constant_data", "posterior"]);
  });

  it("says when the store is not Zarr, or holds no groups", async () => {
    const notZarr = await openTrace(memoryStore({ "README.md": new Uint8Array([1]) })).catch((e: unknown) => e);
    expect(notZarr).toBeInstanceOf(StoreError);
    expect((notZarr as Error).message).toBe(
      "memory is not a Zarr store: no zarr.json (format 3) or .zgroup/.zmetadata (format 2) at its top. Open the folder that holds the groups (posterior, sample_stats, ...), or a zip of it.",
    );
    const empty = await openTrace(memoryStore({ ".zgroup": { zarr_format: 2 } })).catch((e: unknown) => e);
    expect((empty as Error).message).toBe("memory is a Zarr store but holds no groups: an ArviZ trace has groups such as posterior and sample_stats");
  });
});
