import type { FileEntry } from "../engine/store/files.ts";
import type { DiagnosticsScope } from "../engine/diagnose.ts";
import type { SpecErrorKind } from "../engine/errors.ts";
import type { ExtractProgress } from "../engine/progress.ts";
import type { ReadCount } from "../engine/store/counting.ts";
import type { TraceTree } from "../engine/tree.ts";

/** What the UI can hand the worker to open: all of it is structured-clonable. */
export type TraceSource =
  | { kind: "zip"; blob: Blob; name: string }
  | { kind: "files"; files: FileEntry[]; name: string }
  | { kind: "directory"; handle: FileSystemDirectoryHandle }
  | { kind: "url"; url: string };

export type EngineRequest =
  | { id: number; type: "open"; source: TraceSource }
  /** `budget`: bytes the table may take; a query over it is refused before anything is read. */
  | { id: number; type: "extract"; query: string; groups: string[]; budget: number }
  /** Diagnostics of every element in scope, streamed back as `rows` messages while they are computed. */
  | { id: number; type: "diagnose"; scope: DiagnosticsScope }
  /** Abandon request `target`: its reads stop and it answers with a CancelledError. */
  | { id: number; type: "cancel"; target: number };

/** An engine error as it crosses the boundary: its class name, message, and where in the query. */
export interface EngineErrorData {
  name: string;
  message: string;
  kind?: SpecErrorKind;
  start?: number;
  end?: number;
  suggestion?: string;
}

export interface OpenedTrace {
  tree: TraceTree;
  /** See traceFingerprint: equal for the same trace in any storage format. */
  fingerprint: string;
}

export interface ExtractedTable {
  /** An Arrow IPC stream, transferred (not copied) from the worker. */
  ipc: Uint8Array;
  numRows: number;
}

export interface DiagnosedScope {
  /** How many elements the scope has: every one of them was sent in a `rows` message. */
  elements: number;
}

export type EngineResult = OpenedTrace | ExtractedTable | DiagnosedScope;

export type EngineResponse =
  | { id: number; type: "result"; result: EngineResult }
  | { id: number; type: "error"; error: EngineErrorData }
  | { id: number; type: "progress"; progress: TaskProgress | DiagnoseProgress }
  /** Rows of a diagnostics table (see engine/diagnostics-output.ts) as an Arrow IPC stream, transferred. */
  | { id: number; type: "rows"; ipc: Uint8Array };

/** How far a request has got: an extraction counts arrays and chunks; an open, metadata reads. */
export type TaskProgress = ({ kind: "extract" } & ExtractProgress) | ({ kind: "open" } & ReadCount);

/** How far a diagnose request has got: elements diagnosed of the scope's total (shown in the table, not the task bar). */
export interface DiagnoseProgress {
  kind: "diagnose";
  done: number;
  total: number;
}

export const CANCELLED = "CancelledError";
