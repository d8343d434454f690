import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface ServerKind {
  /** Answer `Range: bytes=a-b` with 206 and those bytes; otherwise the whole file with 200. */
  ranges: boolean;
  /** Let any origin read it (Access-Control-Allow-Origin: *, the Range header allowed). */
  cors: boolean;
  /** Bytes `/large.zip` and `/large.nc` claim: each starts its body and never ends it. */
  largeBytes?: number;
}

/**
 * A broken answer: HTTP 500, the right status and length with a body that breaks off halfway, 404
 * as if the file were not there, or a gzip transfer of 64 KB that inflates to 64 MB of zeros.
 */
export type Fault = "error" | "short" | "missing" | "inflating";

let inflating: Buffer | undefined;

export interface FixtureServer {
  port: number;
  /** Each request as `METHOD /path range`. */
  requests: string[];
  /** Paths whose next GET fails as given (once each), to check that failures are not kept. */
  faults: Map<string, Fault>;
  close(): Promise<void>;
}

/** Send the first half of bytes `start`–`end` of a file, then drop the connection. */
function breakOff(res: ServerResponse, file: string, start: number, end: number): void {
  const half = Math.floor((end - start + 1) / 2);
  res.write(readFileSync(file).subarray(start, start + half), () => res.destroy());
}

/**
 * Files are read and sent in pieces of this size: as a static file server sends them (the default
 * 64 KiB pieces cost the benches' server several CPU seconds of the two cores per 3 GB).
 */
const READ_BYTES = 1 << 20;

/**
 * A real HTTP server on loopback (127.0.0.1) for the files under `root`, of the kinds a user might
 * point Open URL at; the unit tests and the e2e tests share it.
 */
export async function startFixtureServer(root: string, kind: ServerKind): Promise<FixtureServer> {
  const requests: string[] = [];
  const faults = new Map<string, Fault>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    requests.push(`${req.method} ${path} ${req.headers.range ?? ""}`.trimEnd());
    const cors: Record<string, string> = kind.cors ? { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Range" } : {};
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if ((path === "/large.zip" || path === "/large.nc") && kind.largeBytes) {
      res.writeHead(200, { ...cors, "Content-Length": kind.largeBytes });
      if (req.method === "HEAD") res.end();
      else res.write(new Uint8Array(65536));
      return;
    }
    const file = join(root, path);
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info?.isFile()) return res.writeHead(404, cors).end("not found");
    const fault = req.method === "GET" ? faults.get(path) : undefined;
    faults.delete(path);
    if (fault === "error") return res.writeHead(500, cors).end("internal error");
    if (fault === "missing") return res.writeHead(404, cors).end("not found");
    if (fault === "inflating") {
      inflating ??= gzipSync(Buffer.alloc(64 << 20));
      return res.writeHead(200, { ...cors, "Content-Encoding": "gzip", "Content-Length": inflating.length }).end(inflating);
    }
    const range = kind.ranges ? /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "") : null;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      res.writeHead(206, { ...cors, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${info.size}` });
      return fault === "short" ? breakOff(res, file, start, end) : createReadStream(file, { start, end, highWaterMark: READ_BYTES }).pipe(res);
    }
    res.writeHead(200, { ...cors, "Content-Length": info.size });
    if (req.method === "HEAD") return res.end();
    if (fault === "short") return breakOff(res, file, 0, info.size - 1);
    createReadStream(file, { highWaterMark: READ_BYTES }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    faults,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
