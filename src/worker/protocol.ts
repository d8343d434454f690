import type { FileEntry } from "../engine/store/files.ts";
import type { SpecErrorKind } from "../engine/errors.ts";
import type { TraceTree } from "../engine/tree.ts";

/** What the UI can hand the worker to open: all of it is structured-clonable. */
export type TraceSource =
  | { kind: "zip"; blob: Blob; name: string }
  | { kind: "files"; files: FileEntry[]; name: string }
  | { kind: "directory"; handle: FileSystemDirectoryHandle }
  | { kind: "url"; url: string };

export type EngineRequest =
  | { id: number; type: "open"; source: TraceSource }
  | { id: number; type: "extract"; query: string; groups?: string[] };

/** An engine error as it crosses the boundary: its class name, message, and where in the query. */
export interface EngineErrorData {
  name: string;
  message: string;
  kind?: SpecErrorKind;
  start?: number;
  end?: number;
  suggestion?: string;
}

export type EngineResult = { tree: TraceTree } | { ipc: Uint8Array; numRows: number };

export type EngineResponse = { id: number; ok: true; result: EngineResult } | { id: number; ok: false; error: EngineErrorData };
