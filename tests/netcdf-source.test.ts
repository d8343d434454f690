// netCDF files read through a byte source mounted in h5wasm's file system, as the worker reads a
// dropped file (FileReaderSync) or a served one (range requests): here the source is a file
// descriptor that counts what HDF5 asks for.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { StoreError } from "../src/engine/errors.ts";
import { traceFingerprint } from "../src/engine/fingerprint.ts";
import type { ByteSource } from "../src/engine/netcdf/byte-source.ts";
import { openNetcdfSource } from "../src/engine/netcdf/open.ts";
import { openPath } from "../src/engine/store/node.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { openTrace } from "../src/engine/trace.ts";
import { FIXTURES } from "./golden.ts";
import { sigmaAt, thetaAt, writeLargeNetcdf } from "./large-netcdf.ts";

const dir = mkdtempSync(join(tmpdir(), "drawscope-netcdf-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CountingSource extends ByteSource {
  /** Bytes read so far. */
  bytesRead: number;
  /** Throw this from every read from now on. */
  failWith?: unknown;
}

function fileSource(path: string): CountingSource {
  const fd = openSync(path, "r");
  afterAll(() => closeSync(fd));
  const source: CountingSource = {
    size: statSync(path).size,
    bytesRead: 0,
    read(position, target) {
      if (source.failWith !== undefined) throw source.failWith;
      expect(readSync(fd, target, 0, target.length, position)).toBe(target.length);
      source.bytesRead += target.length;
    },
  };
  return source;
}

describe("a netCDF file read through a byte source", () => {
  it("gives the grouped regression's tree and draws exactly as its Zarr copy", async () => {
    const nc = await openTrace(await openNetcdfSource(fileSource(join(FIXTURES, "grouped_regression.nc")), "grouped_regression.nc"));
    const zarr = await openPath(join(FIXTURES, "grouped_regression.zarr"));
    expect(traceFingerprint(nc.tree)).toBe(traceFingerprint(zarr.tree));
    const rows = async (trace: typeof zarr) =>
      toCsv(await trace.extract("beta[groups], sigma"))
        .split("\n")
        .slice(1)
        .sort();
    expect(await rows(nc)).toEqual(await rows(zarr));
  });

  it("reads only what a query needs: sigma of a file of 160 MB of theta costs under 1% of it", async () => {
    const path = join(dir, "theta-5000.nc");
    await writeLargeNetcdf(path, 5000);
    const source = fileSource(path);
    const trace = await openTrace(await openNetcdfSource(source, "theta-5000.nc"));
    const table = await trace.extract("sigma");
    expect(source.size).toBeGreaterThan(160e6);
    expect(source.bytesRead).toBeLessThan(0.01 * source.size);
    const [chain, draw, sigma] = ["chain", "draw", "sigma"].map((c) => table.getChild(c)!);
    expect(table.numRows).toBe(4000);
    for (const i of [0, 1234, 3999]) expect(sigma.get(i)).toBe(sigmaAt(Number(chain.get(i)), Number(draw.get(i))));
    // One parameter of theta: one column of 4 chunks (8 MB each), not the file's 160 MB.
    const before = source.bytesRead;
    const one = await trace.extract("theta[param=4321]");
    expect(source.bytesRead - before).toBeLessThanOrEqual(4 * 8e6 + 1e6);
    const values = one.getChild("theta")!;
    for (const i of [0, 2500, 3999]) expect(values.get(i)).toBe(thetaAt(Number(one.getChild("chain")!.get(i)), Number(one.getChild("draw")!.get(i)), 4321));
  });

  it("reports a read of the source that failed as that failure, not as HDF5's words", async () => {
    const source = fileSource(join(FIXTURES, "grouped_regression.nc"));
    const trace = await openTrace(await openNetcdfSource(source, "grouped_regression.nc"));
    source.failWith = new StoreError("cannot read bytes 0–99 of grouped_regression.nc: the server went away", "grouped_regression.nc");
    await expect(trace.extract("mu[obs_ind]")).rejects.toThrow("cannot read bytes 0–99 of grouped_regression.nc: the server went away");
    source.failWith = new DOMException("The requested file could not be read", "NotReadableError");
    await expect(trace.extract("beta[groups]")).rejects.toThrow(
      "cannot read grouped_regression.nc: The requested file could not be read. If the file was moved or changed since it was opened, open it again.",
    );
    source.failWith = undefined;
    expect((await trace.extract("sigma")).numRows).toBe(4 * 400);
  });

  it("lets go of the file when closed: HDF5 closes it and its mount leaves h5wasm's file system", async () => {
    const { FS } = await (await import("h5wasm")).ready;
    const before = FS.readdir("/").length;
    const store = await openNetcdfSource(fileSource(join(FIXTURES, "arviz/centered_eight.nc")), "centered_eight.nc");
    expect(FS.readdir("/").length).toBe(before + 1);
    store.close!();
    expect(FS.readdir("/").length).toBe(before);
  });

  it("unmounts a file HDF5 could not open", async () => {
    const { FS } = await (await import("h5wasm")).ready;
    const before = FS.readdir("/").length;
    const bytes = new Uint8Array(200);
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cut: ByteSource = { size: bytes.length, read: (position, target) => target.set(bytes.subarray(position, position + target.length)) };
    await expect(openNetcdfSource(cut, "cut.nc")).rejects.toThrow("cannot open cut.nc as a netCDF-4 (HDF5) file");
    expect(FS.readdir("/").length).toBe(before);
  });

  it("in the command line, a netCDF address is refused before any request, saying to download it and give its path", async () => {
    const url = "http://127.0.0.1:9/trace.nc";
    await expect(openUrl(url)).rejects.toThrow(`${url} is a netCDF file: the command line reads netCDF files by path, not by address. Download it (curl -O ${url}) and give the file's path.`);
  });
});
