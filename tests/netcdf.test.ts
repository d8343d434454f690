import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { StoreError } from "../src/engine/errors.ts";
import { traceFingerprint } from "../src/engine/fingerprint.ts";
import { contiguousChunks } from "../src/engine/netcdf/zarr-view.ts";
import { openPath, openPathStore } from "../src/engine/store/node.ts";
import { openTrace } from "../src/engine/trace.ts";
import { FIXTURES, parseCsv } from "./golden.ts";

const dir = mkdtempSync(join(tmpdir(), "drawscope-netcdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The table of a query as sorted CSV rows: the same rows whatever order the chunks gave them in. */
async function rowsOf(path: string, query: string, groups = ["posterior"]): Promise<string[]> {
  const table = await (await openPath(path)).extract(query, { groups });
  const { header, rows } = parseCsv(toCsv(table));
  return [header.join(","), ...rows.map((r) => r.join(",")).sort()];
}

describe("ArviZ's NetCDF files", () => {
  it.each([
    ["grouped_regression.nc", ["grouped_regression.zarr", "grouped_regression.v3.zarr", "grouped_regression.zarr.zip", "grouped_regression.v3.zarr.zip"]],
    ["arviz/centered_eight.nc", ["arviz/centered_eight.zarr"]],
    ["arviz/non_centered_eight.nc", ["arviz/non_centered_eight.v3.zarr"]],
  ])("%s has the fingerprint of its Zarr copies, so a link made on one applies to the other", async (nc, copies) => {
    const prints = await Promise.all([nc, ...copies].map(async (path) => traceFingerprint((await openPath(join(FIXTURES, path))).tree)));
    expect(new Set(prints).size).toBe(1);
  });

  it("reads groups, dimensions from netCDF's dimension scales, coordinate labels and attributes as the Zarr copy has them", async () => {
    const [nc, zarr] = await Promise.all(["grouped_regression.nc", "grouped_regression.zarr"].map((p) => openPath(join(FIXTURES, p))));
    expect(nc.tree.origin).toBe("NetCDF-4");
    expect(nc.tree.groups.map((g) => g.name).sort()).toEqual(zarr.tree.groups.map((g) => g.name).sort());
    for (const group of zarr.tree.groups) {
      const same = nc.tree.groups.find((g) => g.name === group.name)!;
      expect(same.dims).toEqual(group.dims);
      expect(same.attrs).toEqual(group.attrs);
      const byName = (vs: typeof group.variables) => [...vs].sort((a, b) => a.name.localeCompare(b.name)).map((v) => ({ ...v, dtype: v.dtype }));
      expect(byName(same.variables).map((v) => [v.name, v.dims, v.shape, v.dtype])).toEqual(byName(group.variables).map((v) => [v.name, v.dims, v.shape, v.dtype]));
    }
  });

  it("gives the non-centered eight schools' draws exactly as its Zarr v3 copy, gzip-compressed chunks of 1 × 250 × 4 included", async () => {
    for (const [query, groups] of [
      ["theta[school], mu, tau", ["posterior"]],
      ["obs[school]", ["posterior_predictive"]],
      ["lp, energy", ["sample_stats"]],
    ] as const) {
      const nc = await rowsOf(join(FIXTURES, "arviz/non_centered_eight.nc"), query, [...groups]);
      expect(nc).toEqual(await rowsOf(join(FIXTURES, "arviz/non_centered_eight.v3.zarr"), query, [...groups]));
    }
    // diverging is int8 with xarray's dtype: bool attribute in the file (the Zarr v3 copy lost it): booleans, as ArviZ means.
    const [nc, zarr] = await Promise.all(
      ["non_centered_eight.nc", "non_centered_eight.v3.zarr"].map(async (p) => (await openPath(join(FIXTURES, "arviz", p))).extract("diverging", { groups: ["sample_stats"] })),
    );
    expect(String(nc.getChild("diverging")!.type)).toBe("Bool");
    expect([...nc.getChild("diverging")!].map(Number)).toEqual([...zarr.getChild("diverging")!].map(Number));
  });
});

/** Write an HDF5 file with h5wasm, as netCDF lays one out where `dims` is given. */
async function writeHdf5(name: string, build: (file: InstanceType<typeof h5wasm.File>) => void): Promise<string> {
  await h5wasm.ready;
  const path = join(dir, name);
  const file = new h5wasm.File(path, "w");
  build(file);
  file.flush();
  file.close();
  return path;
}

describe("netCDF-4 layouts drawscope reads, and files it refuses by name", () => {
  it("cuts a contiguous variable into chunks of a few MB: whole trailing dimensions, a run of the first that does not fit", () => {
    expect(contiguousChunks([4, 1000, 10_000], 8)).toEqual([1, 104, 10_000]);
    expect(contiguousChunks([4, 400, 96], 8)).toEqual([4, 400, 96]);
    expect(contiguousChunks([2_000_000], 8)).toEqual([1_048_576]);
    expect(contiguousChunks([], 8)).toEqual([]);
  });

  it("reads chunked, compressed variables with edge chunks, fixed-length string labels and phony dimensions", async () => {
    const path = await writeHdf5("layouts.nc", (file) => {
      const posterior = file.create_group("posterior");
      posterior.create_dataset({ name: "chain", data: new BigInt64Array([0n, 1n]) }).make_scale("chain");
      posterior.create_dataset({ name: "draw", data: BigInt64Array.from({ length: 7 }, (_, i) => BigInt(i)) }).make_scale("draw");
      posterior.create_dataset({ name: "school", data: ["Choate", "Deerfield", "Mt. Hermon"], dtype: "S10" }).make_scale("school");
      // 2 × 7 × 3 draws in chunks of 1 × 3 × 2, so chunks at the edges of draw and school; value = 100·chain + 10·draw + school.
      const theta = posterior.create_dataset({
        name: "theta",
        data: Float64Array.from({ length: 42 }, (_, i) => 100 * Math.floor(i / 21) + 10 * Math.floor((i % 21) / 3) + (i % 3)),
        shape: [2, 7, 3],
        chunks: [1, 3, 2],
        compression: "gzip",
      });
      ["chain", "draw", "school"].forEach((dim, axis) => theta.attach_scale(axis, `/posterior/${dim}`));
      posterior.create_attribute("inference_library", "test");
      // No dimension scales: xarray names the dimensions phony_dim_0, 1… by size.
      posterior.create_dataset({ name: "plain", data: new Float64Array(6), shape: [2, 3] });
      file.create_attribute("_NCProperties", "version=2,netcdf=4.9.0");
      // Scalars: netCDF variables without dimensions, which h5wasm reads as a number or a bigint.
      const data = file.create_group("constant_data");
      data.create_dataset({ name: "scale", data: new Float64Array([2.5]), shape: [] });
      data.create_dataset({ name: "seed", data: new BigInt64Array([7n]), shape: [] });
      data.create_dataset({ name: "level", data: new Int16Array([-3]), shape: [] });
    });
    const trace = await openPath(path);
    const posterior = trace.tree.groups.find((g) => g.name === "posterior")!;
    expect(posterior.attrs).toEqual({ inference_library: "test" });
    expect(posterior.variables.map((v) => `${v.name}(${v.dims.join(",")})`).sort()).toEqual(["plain(phony_dim_0,phony_dim_1)", "theta(chain,draw,school)"]);
    expect(posterior.dims.find((d) => d.name === "school")?.labels).toEqual(["Choate", "Deerfield", "Mt. Hermon"]);
    const table = await trace.extract("theta[school]");
    expect(table.numRows).toBe(42);
    const [chain, draw, school, theta] = ["chain", "draw", "school", "theta"].map((c) => table.getChild(c)!);
    const labels = ["Choate", "Deerfield", "Mt. Hermon"];
    for (let i = 0; i < table.numRows; i++) {
      expect(theta.get(i)).toBe(100 * Number(chain.get(i)) + 10 * Number(draw.get(i)) + labels.indexOf(school.get(i)));
    }
    const scalars = await trace.extract("scale, seed, level", { groups: ["constant_data"] });
    expect(scalars.numRows).toBe(1);
    expect(["scale", "seed", "level"].map((name) => Number(scalars.getChild(name)!.get(0)))).toEqual([2.5, 7, -3]);
    const selection = await trace.extract("theta[school=Deerfield]");
    expect([...(selection.getChild("theta")!.toArray() as Float64Array)].sort((a, b) => a - b)).toEqual([1, 11, 21, 31, 41, 51, 61, 101, 111, 121, 131, 141, 151, 161]);
  });

  it("refuses an HDF5 file that is not netCDF, a netCDF-3 file and a broken one, each by name with what to do", async () => {
    const plain = await writeHdf5("plain.h5", (file) => file.create_dataset({ name: "x", data: new Float64Array(4) }));
    await expect(openPathStore(plain)).rejects.toThrow(
      `${plain} is an HDF5 file but not a netCDF-4 one (it has no netCDF dimensions): drawscope reads ArviZ traces saved with idata.to_netcdf("trace.nc"), or saved as Zarr (idata.to_zarr("trace.zarr")).`,
    );
    const classic = join(dir, "classic.nc");
    writeFileSync(classic, Buffer.from("CDF\x01\0\0\0\0\0\0\0\0", "latin1"));
    const error = await openPathStore(classic).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe(
      `${classic} is a netCDF-3 (classic) file, which has no groups for an ArviZ trace: drawscope reads netCDF-4 files, as ArviZ writes them ` +
        `(idata.to_netcdf("trace.nc") with the netCDF4 or h5netcdf package installed). Save the trace that way, or as Zarr (idata.to_zarr("trace.zarr")).`,
    );
    const broken = join(dir, "broken.nc");
    writeFileSync(broken, Buffer.concat([Buffer.from("\x89HDF\r\n\x1a\n", "latin1"), Buffer.alloc(100)]));
    await expect(openPathStore(broken)).rejects.toThrow(
      `cannot open ${broken} as a netCDF-4 (HDF5) file: unable to synchronously open file. It may be cut short or damaged: save it again from ArviZ (idata.to_netcdf).`,
    );
    await expect(openTrace(await openPathStore(join(FIXTURES, "grouped_regression.nc")))).resolves.toBeDefined();
  });
});
