import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fixture } from "./helpers.ts";

export interface ServerKind {
  /** Answer `Range: bytes=a-b` with 206 and those bytes; otherwise the whole file with 200. */
  ranges: boolean;
  /** Let any origin read it (Access-Control-Allow-Origin: *, the Range header allowed). */
  cors: boolean;
}

export interface FixtureServer {
  /** `http://localhost:PORT`: another origin than the app's 127.0.0.1. */
  base: string;
  /** Each request as `METHOD /path range`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback for fixtures/, of the kind a user might point Open URL at.
 * `/large.zip` claims WHOLE_ZIP_LIMIT and more, starts its body and never ends it.
 */
export async function startFixtureServer(kind: ServerKind, largeBytes: number): Promise<FixtureServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url!, "http://x").pathname);
    requests.push(`${req.method} ${path} ${req.headers.range ?? ""}`.trimEnd());
    const cors: Record<string, string> = kind.cors
      ? { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Range" }
      : {};
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (path === "/large.zip") {
      res.writeHead(200, { ...cors, "Content-Length": largeBytes });
      if (req.method === "HEAD") res.end();
      else res.write(new Uint8Array(65536));
      return;
    }
    const file = fixture(path);
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info?.isFile()) return res.writeHead(404, cors).end("not found");
    const range = kind.ranges ? /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "") : null;
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), info.size - 1);
      res.writeHead(206, { ...cors, "Content-Length": end - start + 1, "Content-Range": `bytes ${start}-${end}/${info.size}` });
      return createReadStream(file, { start, end }).pipe(res);
    }
    res.writeHead(200, { ...cors, "Content-Length": info.size });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://localhost:${(server.address() as AddressInfo).port}`,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
