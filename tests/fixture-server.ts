import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

export interface ServerKind {
  /** Answer `Range: bytes=a-b` with 206 and those bytes; otherwise the whole file with 200. */
  ranges: boolean;
  /** Let any origin read it (Access-Control-Allow-Origin: *, the Range header allowed). */
  cors: boolean;
  /** Bytes `/large.zip` claims: it starts its body and never ends it. */
  largeBytes?: number;
}

export interface FixtureServer {
  port: number;
  /** Each request as `METHOD /path range`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback (127.0.0.1) for the files under `root`, of the kinds a user might
 * point Open URL at; the unit tests and the e2e tests share it.
 */
export async function startFixtureServer(root: string, kind: ServerKind): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    requests.push(`${req.method} ${path} ${req.headers.range ?? ""}`.trimEnd());
    const cors: Record<string, string> = kind.cors ? { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Range" } : {};
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (path === "/large.zip" && kind.largeBytes) {
      res.writeHead(200, { ...cors, "Content-Length": kind.largeBytes });
      if (req.method === "HEAD") res.end();
      else res.write(new Uint8Array(65536));
      return;
    }
    const file = join(root, path);
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info?.isFile()) return res.writeHead(404, cors).end("not found");
    const range = kind.ranges ? /^bytes=(\d+)-(\d+)?$/.exec(req.headers.range ?? "") : null;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      res.writeHead(206, { ...cors, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${info.size}` });
      return createReadStream(file, { start, end }).pipe(res);
    }
    res.writeHead(200, { ...cors, "Content-Length": info.size });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
