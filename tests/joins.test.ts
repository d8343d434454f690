import type { AbsolutePath } from "@zarrita/storage";
import FileSystemStore from "@zarrita/storage/fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPath } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { FIXTURES, goldenCsv } from "./golden.ts";

const STORE = join(FIXTURES, "grouped_regression.zarr");

describe("joining predictive draws to the data groups", () => {
  it("lines up posterior_predictive y with observed y, x and group_idx on obs_ind", async () => {
    const trace = await openPath(STORE);
    const table = await trace.extract("posterior_predictive/y[obs_ind], observed_data/y, constant_data/x, constant_data/group_idx");
    expect(table.numRows).toBe(4 * 400 * 96);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["chain:Uint8", "draw:Uint16", "obs_ind:Uint8", "y:Float64", "observed_data/y:Float64", "x:Float64", "group_idx:Int32"]);
    const observed = (await trace.extract("observed_data/y")).getChild("y")!.toArray() as Float64Array;
    const x = (await trace.extract("constant_data/x")).getChild("x")!.toArray() as Float64Array;
    expect(observed.length).toBe(96);
    const obsInd = table.getChild("obs_ind")!.toArray() as Uint8Array;
    const y = table.getChild("y")!.toArray() as Float64Array;
    const yObs = table.getChild("observed_data/y")!.toArray() as Float64Array;
    const xs = table.getChild("x")!.toArray() as Float64Array;
    let misaligned = 0;
    for (let i = 0; i < table.numRows; i++) if (yObs[i] !== observed[obsInd[i]] || xs[i] !== x[obsInd[i]]) misaligned++;
    expect(misaligned).toBe(0);
    // The predictive draws themselves are the golden case05 values.
    const golden = goldenCsv("grouped_regression.expected", "case05.csv.gz").rows;
    const chain = table.getChild("chain")!.toArray() as Uint8Array;
    const draw = table.getChild("draw")!.toArray() as Uint16Array;
    const want = new Map(golden.map((r) => [`${r[0]},${r[1]},${r[2]}`, Number(r[3])]));
    for (let i = 0; i < table.numRows; i += 997) {
      expect(y[i]).toBeCloseTo(want.get(`${chain[i]},${draw[i]},${obsInd[i]}`)!, 12);
    }
  });

  it("reads only the arrays a query needs", async () => {
    const fs = new FileSystemStore(STORE);
    const keys: string[] = [];
    const trace = await openTrace({
      store: {
        get: (key: AbsolutePath) => {
          keys.push(key);
          return fs.get(key);
        },
      },
      label: STORE,
    });
    keys.length = 0;
    await trace.extract("sigma");
    expect(keys).toEqual(["/posterior/sigma/0.0"]);
  });
});
