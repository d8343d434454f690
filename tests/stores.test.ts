import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCsv } from "../src/engine/csv.ts";
import { StoreError } from "../src/engine/errors.ts";
import { openDirectoryHandle } from "../src/engine/store/directory.ts";
import { openFiles } from "../src/engine/store/files.ts";
import { rewriteZarrJson } from "../src/engine/store/v3-metadata.ts";
import { openPath } from "../src/engine/store/node.ts";
import { HttpRangeReader, WHOLE_DOWNLOAD_LIMIT } from "../src/engine/store/http-ranges.ts";
import { openUrl } from "../src/engine/store/url.ts";
import { openZipBlob } from "../src/engine/store/zip.ts";
import { openTrace } from "../src/engine/trace.ts";
import { startFixtureServer, type FixtureServer } from "./fixture-server.ts";
import { FIXTURES, expectSameRows, goldenCsv, parseCsv } from "./golden.ts";

const GOLDEN = "grouped_regression.expected";

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The golden `beta[groups], intercept[groups]` table must come out of `trace` unchanged. */
async function expectBetaIntercept(trace: Awaited<ReturnType<typeof openTrace>>): Promise<void> {
  const table = await trace.extract("beta[groups], intercept[groups]");
  expectSameRows(parseCsv(toCsv(table)), goldenCsv(GOLDEN, "case01.csv.gz"), 3);
}

describe("folder picked in the browser (File list with webkitRelativePath)", () => {
  for (const store of ["grouped_regression.zarr", "grouped_regression.v3.zarr"]) {
    it(`opens ${store} from Blobs, stripping the picked folder and OS litter`, async () => {
      const root = join(FIXTURES, store);
      const entries = walk(root).map((path) => ({
        path: `${store}/${relative(root, path)}`,
        blob: new Blob([readFileSync(path)]),
      }));
      entries.push({ path: `${store}/.DS_Store`, blob: new Blob(["junk"]) });
      await expectBetaIntercept(await openTrace(openFiles(entries, store)));
    });
  }
});

/** Just enough of FileSystemDirectoryHandle over a real folder. */
function directoryHandle(path: string): FileSystemDirectoryHandle {
  const notFound = () => Object.assign(new Error("not found"), { name: "NotFoundError" });
  return {
    kind: "directory",
    name: path.split("/").pop()!,
    async getDirectoryHandle(name: string) {
      const child = join(path, name);
      if (!statSync(child, { throwIfNoEntry: false })?.isDirectory()) throw notFound();
      return directoryHandle(child);
    },
    async getFileHandle(name: string) {
      const child = join(path, name);
      if (!statSync(child, { throwIfNoEntry: false })?.isFile()) throw notFound();
      return { kind: "file", name, getFile: async () => new File([readFileSync(child)], name) };
    },
    async *keys() {
      yield* readdirSync(path);
    },
  } as unknown as FileSystemDirectoryHandle;
}

describe("directory handle (File System Access API)", () => {
  it("opens the v3 store through a directory handle", async () => {
    await expectBetaIntercept(await openTrace(openDirectoryHandle(directoryHandle(join(FIXTURES, "grouped_regression.v3.zarr")))));
  });
});

describe("stores served over HTTP (loopback server with range requests)", () => {
  let server: FixtureServer;
  let base: string;
  let requests: string[];
  beforeAll(async () => {
    server = await startFixtureServer(FIXTURES, { ranges: true, cors: false });
    base = `http://127.0.0.1:${server.port}`;
    requests = server.requests;
  });
  afterAll(() => server.close());

  for (const store of ["grouped_regression.zarr", "grouped_regression.v3.zarr/"]) {
    it(`opens the ${store} folder by URL`, async () => {
      await expectBetaIntercept(await openTrace(await openUrl(`${base}/${store}`)));
    });
  }

  it("reads a zipped store by URL with range requests, not whole", async () => {
    requests.length = 0;
    await expectBetaIntercept(await openTrace(await openUrl(`${base}/grouped_regression.v3.zarr.zip`)));
    expect(requests.some((r) => r.startsWith("GET") && r.includes("bytes="))).toBe(true);
    expect(requests.filter((r) => r.startsWith("GET") && !r.includes("bytes="))).toEqual([]);
  });

  it("says when a URL holds no store", async () => {
    const error = await openTrace(await openUrl(`${base}/missing.zarr`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/missing\.zarr is not a Zarr store: no zarr\.json/);
  });

  it("rejects what is not an http(s) URL", async () => {
    await expect(openUrl("ftp://example.org/x.zarr")).rejects.toThrow("'ftp://example.org/x.zarr' is not an http(s) URL: only stores served over HTTP can be opened by address");
    await expect(openUrl("trace.zarr")).rejects.toThrow("'trace.zarr' is not a URL: give a full address such as https://example.org/trace.zarr");
  });
});

describe("a zip from a server that ignores range requests", () => {
  const ZIP = readFileSync(join(FIXTURES, "grouped_regression.v3.zarr.zip"));
  const LARGE = WHOLE_DOWNLOAD_LIMIT + 1_000_000;
  let server: Server;
  let base: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url!, "http://x").pathname;
      requests.push(`${req.method} ${path} ${req.headers.range ?? ""}`);
      if (path === "/small.zip") {
        // Range or not, the whole file with 200, as a plain static server without range support does.
        res.writeHead(200, { "Content-Length": ZIP.byteLength });
        res.end(req.method === "HEAD" ? undefined : ZIP);
      } else if (path === "/unsized.zip") {
        // Sent chunked: no Content-Length, not even to HEAD.
        res.writeHead(200, { "Transfer-Encoding": "chunked" });
        if (req.method === "HEAD") res.end();
        else {
          res.write(ZIP.subarray(0, 1000));
          res.end(ZIP.subarray(1000));
        }
      } else if (path === "/unsized-ranged.zip") {
        // No Content-Length to HEAD, but ranges with their Content-Range.
        const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "");
        if (req.method === "HEAD" || !range) {
          res.writeHead(200, { "Transfer-Encoding": "chunked" });
          res.end(req.method === "HEAD" ? undefined : ZIP);
        } else {
          const [start, end] = [Number(range[1]), Math.min(Number(range[2]), ZIP.byteLength - 1)];
          res.writeHead(206, { "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${ZIP.byteLength}` });
          res.end(ZIP.subarray(start, end + 1));
        }
      } else if (path === "/large-unsized.zip") {
        // Chunked, no size anywhere, and more than the limit: the reader must stop once past it.
        res.writeHead(200, { "Transfer-Encoding": "chunked" });
        if (req.method === "HEAD") res.end();
        else {
          const block = new Uint8Array(1 << 20);
          let sent = 0;
          const more = () => {
            while (sent <= WHOLE_DOWNLOAD_LIMIT + (2 << 20) && res.write(block)) sent += block.byteLength;
            if (sent <= WHOLE_DOWNLOAD_LIMIT + (2 << 20)) res.once("drain", more);
            else res.end();
          };
          more();
        }
      } else if (path === "/truncated.zip") {
        // Says the whole size to HEAD, ignores ranges, then sends less than it said (chunked, so nothing looks wrong in transit).
        res.writeHead(200, req.method === "HEAD" ? { "Content-Length": ZIP.byteLength } : { "Transfer-Encoding": "chunked" });
        res.end(req.method === "HEAD" ? undefined : ZIP.subarray(0, 1000));
      } else if (path === "/broken.zip") {
        // The connection drops in the middle of the whole file.
        res.writeHead(200, { "Content-Length": ZIP.byteLength });
        if (req.method === "HEAD") res.end();
        else res.write(ZIP.subarray(0, 1000), () => res.destroy());
      } else if (path === "/large.zip") {
        res.writeHead(200, { "Content-Length": LARGE });
        // Starts the body and never finishes it: the reader must stop reading, not wait for it all.
        if (req.method === "HEAD") res.end();
        else res.write(new Uint8Array(65536));
      } else if (path === "/short.zip") {
        const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? "");
        res.writeHead(range ? 206 : 200, { "Content-Length": range ? 10 : ZIP.byteLength });
        res.end(req.method === "HEAD" ? undefined : ZIP.subarray(0, 10));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("reads a small zip from the one whole answer, then from memory", async () => {
    requests.length = 0;
    await expectBetaIntercept(await openTrace(await openUrl(`${base}/small.zip`)));
    expect(requests.filter((r) => r.startsWith("GET"))).toHaveLength(1);
  });

  it("reads a zip whose size the server does not give", async () => {
    await expectBetaIntercept(await openTrace(await openUrl(`${base}/unsized.zip`)));
  });

  it("learns the size from a one-byte range when HEAD does not give it, then reads by ranges", async () => {
    requests.length = 0;
    await expectBetaIntercept(await openTrace(await openUrl(`${base}/unsized-ranged.zip`)));
    expect(requests).toContain("GET /unsized-ranged.zip bytes=0-0");
    expect(requests.filter((r) => r.startsWith("GET") && !r.includes("bytes="))).toEqual([]);
  });

  it("serves overlapping reads from one whole download, with the right bytes", async () => {
    const reader = new HttpRangeReader(new URL(`${base}/small.zip`), "small.zip");
    expect(await reader.getLength()).toBe(ZIP.byteLength);
    const [a, b] = await Promise.all([reader.read(0, 16), reader.read(1000, 32)]);
    expect(a).toEqual(new Uint8Array(ZIP.subarray(0, 16)));
    expect(b).toEqual(new Uint8Array(ZIP.subarray(1000, 1032)));
    expect(await reader.read(2000, 8)).toEqual(new Uint8Array(ZIP.subarray(2000, 2008)));
  });

  it("stops a download of unknown size once it passes the limit", async () => {
    const error = await openUrl(`${base}/large-unsized.zip`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/large-unsized\.zip is more than 64 MB, and the server does not answer HTTP range requests: asked for 1 byte, it sent the whole file\./,
    );
  });

  it("says when a whole download ends short of the size the server gave, or breaks off", async () => {
    const short = await openUrl(`${base}/truncated.zip`).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(StoreError);
    expect((short as Error).message).toBe(
      `${base}/truncated.zip: the server sent 1000 bytes for a file it said has ${ZIP.byteLength}, so the zip cannot be read reliably. ` +
        "Serve the unzipped Zarr folder instead, or download the zip and use Open file.",
    );
    const broken = await openUrl(`${base}/broken.zip`).catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(StoreError);
    expect((broken as Error).message).toMatch(/^cannot read the whole file of http:\/\/127\.0\.0\.1:\d+\/broken\.zip: the download broke off after 1000 bytes \(.+\)\. /);
  });

  it("refuses a large one at once, saying that the server has no range requests and what to do", async () => {
    const url = `${base}/large.zip`;
    const error = await openUrl(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${url.replace(/\./g, "\\.")} is 65 MB, and the server does not answer HTTP range requests: asked for \\d+ bytes, it sent the whole file\\. ` +
          "drawscope reads a zip over HTTP by ranges and downloads it whole only up to 64 MB\\. " +
          "Serve it from a server that supports range requests \\(Accept-Ranges: bytes\\), serve the unzipped Zarr folder instead, " +
          "or download the zip and use Open file\\.$",
      ),
    );
  });

  it("says when an answer to a range request is short", async () => {
    const url = `${base}/short.zip`;
    const error = await openUrl(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/short\.zip: the server answered a request for \d+ bytes at offset \d+ with 10 bytes \(HTTP 206\)/);
  });

  it("says when there is no file at the address", async () => {
    await expect(openUrl(`${base}/gone.zip`)).rejects.toThrow(/^cannot read the size of http:\/\/127\.0\.0\.1:\d+\/gone\.zip: the server answered HTTP 404 Not Found \(no file at that address\)\.$/);
  });
});

describe("zips", () => {
  it("ignores __MACOSX and finds the store inside its top folder", async () => {
    const blob = new Blob([readFileSync(join(FIXTURES, "grouped_regression.v3.zarr.zip"))]);
    const trace = await openTrace(await openZipBlob(blob, "grouped_regression.v3.zarr.zip"));
    expect(trace.tree.groups.map((g) => g.name)).toContain("posterior");
    await expectBetaIntercept(trace);
  });

  it("says when a file is not a zip", async () => {
    const error = await openZipBlob(new Blob(["not a zip"]), "notes.txt").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/^notes\.txt is not a readable zip file \(.+\); zip the Zarr folder and try again$/);
  });

  it("names NetCDF, HDF5, CmdStan CSV and web pages by their first bytes, and says what to do instead", async () => {
    const hdf5 = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    await expect(openZipBlob(new Blob([hdf5]), "trace.zip")).rejects.toThrow("trace.zip is a netCDF-4 (HDF5) file, not a zip: open it as a file (drop it, or Open file).");
    await expect(openZipBlob(new Blob(["CDF\x02\0\0\0\0"]), "classic.zip")).rejects.toThrow(
      'classic.zip is a netCDF-3 (classic) file, not a zip: save the trace with idata.to_netcdf("trace.nc") (netCDF-4) or idata.to_zarr("trace.zarr").',
    );
    const cmdstan = "# stan_version_major = 2\n# stan_version_minor = 37\n# model = grouped_regression_model\n";
    await expect(openZipBlob(new Blob([cmdstan]), "output_1.csv")).rejects.toThrow(
      "output_1.csv is CmdStan's CSV output, not a zip: open it as a .csv file (or address), or the chains' CSV files together.",
    );
    await expect(openZipBlob(new Blob(["lp__,accept_stat__\n-3.1,0.9\n"]), "draws")).rejects.toThrow(/^draws is CmdStan's CSV output/);
    await expect(openZipBlob(new Blob(["chain,draw,sigma\n0,0,0.4\n"]), "sigma.csv")).rejects.toThrow("sigma.csv is a CSV file, not a zip: drawscope opens Zarr stores (a folder, or a zip of one).");
    await expect(openZipBlob(new Blob(["\n  <!DOCTYPE html><html><p>Welcome</p>"]), "https://x.org/t.zip")).rejects.toThrow(
      "https://x.org/t.zip is a web page (HTML), not a zip: check that the address points at the .zip file itself.",
    );
    await expect(openZipBlob(new Blob(["# Notes\n\nSome text"]), "notes.md")).rejects.toThrow(/^notes\.md is not a readable zip file/);
  });

  it("says when a path does not exist", async () => {
    await expect(openPath(join(FIXTURES, "nope.zarr"))).rejects.toThrow(`${join(FIXTURES, "nope.zarr")} does not exist: give the path of a Zarr folder or a .zip of one`);
  });
});

describe("Zarr v3 details", () => {
  it("rewrites fixed_length_utf32 to the UTF-32 layout zarrita reads, inside consolidated metadata too", () => {
    const doc = {
      zarr_format: 3,
      node_type: "group",
      consolidated_metadata: {
        metadata: {
          "posterior/groups": { node_type: "array", data_type: { name: "fixed_length_utf32", configuration: { length_bytes: 20 } }, fill_value: "" },
          "posterior/beta": { node_type: "array", data_type: "float64", fill_value: "NaN" },
        },
      },
    };
    const out = JSON.parse(new TextDecoder().decode(rewriteZarrJson(new TextEncoder().encode(JSON.stringify(doc)))));
    expect(out.consolidated_metadata.metadata["posterior/groups"].data_type).toBe("v2:U5");
    expect(out.consolidated_metadata.metadata["posterior/beta"].data_type).toBe("float64");
  });

  it("reads coordinates whose only chunk was skipped as the fill value (prior chain = [0])", async () => {
    expect(statSync(join(FIXTURES, "grouped_regression.v3.zarr/prior/chain/c/0"), { throwIfNoEntry: false })).toBeUndefined();
    const trace = await openPath(join(FIXTURES, "grouped_regression.v3.zarr"));
    const prior = trace.tree.groups.find((g) => g.name === "prior")!;
    expect(prior.dims.find((d) => d.name === "chain")!.labels).toEqual([0]);
    const diverging = await trace.extract("diverging", { groups: ["sample_stats"] });
    expect(diverging.numRows).toBe(1600);
    expect(
      diverging
        .getChild("diverging")!
        .toArray()
        .every((v: boolean) => v === false),
    ).toBe(true);
  });

  it("non-centered eight schools (v3, vlen strings): theta = mu + tau * theta_t in every draw", async () => {
    const trace = await openPath(join(FIXTURES, "arviz/non_centered_eight.v3.zarr"));
    const table = await trace.extract("theta[school], theta_t[school], mu, tau");
    expect(table.numRows).toBe(4 * 500 * 8);
    expect(trace.tree.groups.find((g) => g.name === "posterior")!.dims.find((d) => d.name === "school")!.labels).toEqual([
      "Choate",
      "Deerfield",
      "Phillips Andover",
      "Phillips Exeter",
      "Hotchkiss",
      "Lawrenceville",
      "St. Paul's",
      "Mt. Hermon",
    ]);
    const [theta, thetaT, mu, tau] = ["theta", "theta_t", "mu", "tau"].map((c) => table.getChild(c)!.toArray() as Float64Array);
    let worst = 0;
    for (let i = 0; i < table.numRows; i++) worst = Math.max(worst, Math.abs(theta[i] - (mu[i] + tau[i] * thetaT[i])));
    expect(worst).toBeLessThan(1e-9);
  });
});

describe("a v2 folder without consolidated metadata", () => {
  it("opens from its listing, skipping the folder's own .zattrs and .zgroup", async () => {
    const copy = join(mkdtempSync(join(tmpdir(), "drawscope-unconsolidated-")), "trace.zarr");
    cpSync(join(FIXTURES, "grouped_regression.zarr"), copy, { recursive: true });
    chmodSync(copy, 0o755);
    rmSync(join(copy, ".zmetadata"), { force: true });
    expect(readdirSync(copy)).toContain(".zattrs");
    const trace = await openPath(copy);
    expect(trace.tree.consolidated).toBe(false);
    expect(trace.tree.groups.map((g) => g.name)).toContain("posterior");
    await expectBetaIntercept(trace);
  });
});
