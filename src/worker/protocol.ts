import type {
  ComparisonRow,
  DataFormat,
  DiagnosticsScope,
  DrawscopeErrorTag,
  ExtractProgress,
  FileEntry,
  LooResult,
  ParseProgress,
  ReadCount,
  REffMode,
  SpecErrorKind,
  TableShape,
  TraceTree,
} from "../engine/index.ts";
import type { PanelOptions } from "../panels/types.ts";

/** What the UI can hand the worker to open: all of it is structured-clonable. */
export type TraceSource =
  /** One file: a zip (of a Zarr store or of CmdStan's CSV files), or one CmdStan CSV file. */
  { kind: "zip"; blob: Blob; name: string } | { kind: "files"; files: FileEntry[]; name: string } | { kind: "directory"; handle: FileSystemDirectoryHandle } | { kind: "url"; url: string };

export type EngineRequest =
  /** Open a trace as a model named `name` (its label when not given), in place of every model open, or (`add`) beside them. */
  | { id: number; type: "open"; source: TraceSource; add?: boolean; name?: string }
  /** Keep the models at `keep` (indices, in that order), named `names`: a model renamed, removed or moved. */
  | { id: number; type: "models"; keep: number[]; names: string[] }
  /** `budget`: bytes the table may take; a query over it is refused before anything is read. */
  | { id: number; type: "extract"; query: string; groups: string[]; budget: number }
  /** A panel's data (see PanelData) computed from table `table` with resolved options. */
  | { id: number; type: "panel"; table: number; kind: string; options: PanelOptions }
  /** Rows `offset` to `offset + count` of table `table`, for the page to show. */
  | { id: number; type: "page"; table: number; offset: number; count: number }
  /** Table `table` as a file, or the table a panel derives from it when `panel` is given. */
  | { id: number; type: "export"; table: number; format: DataFormat; panel?: { kind: string; options: PanelOptions } }
  /** Diagnostics of every element in scope, streamed back as `rows` messages while they are computed. */
  | { id: number; type: "diagnose"; scope: DiagnosticsScope }
  /**
   * PSIS-LOO of a log_likelihood variable (the group's only one when not named), streamed over its
   * observations, for every model open, and with several their comparison against `reference`
   * (the best when not given).
   */
  | { id: number; type: "loo"; variable?: string; rEff: REffMode; reference?: string }
  /** Abandon request `target`: its reads stop and it answers with a "cancelled" error. */
  | { id: number; type: "cancel"; target: number };

/** An engine error as it crosses the boundary: its tag, message, and for a spec where in the query. */
export interface EngineErrorData {
  tag: DrawscopeErrorTag;
  message: string;
  /** For an internal error (a bug): its stack, shown folded for a report. */
  details?: string;
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

/** A query's table, kept in the worker: the page gets its id (for panel, page and export requests) and its shape. */
export interface ExtractedTable {
  table: number;
  shape: TableShape;
  /**
   * Why the table is not held, when it is over the memory budget: then only panels that
   * summarise elements chunk by chunk (PanelData.streamed) can draw it.
   */
  oversize?: string;
}

export interface PanelDataResult {
  data: unknown;
}

/** Rows of a table as an Arrow IPC stream, transferred (not copied) from the worker. */
export interface TablePage {
  ipc: Uint8Array;
}

export interface ExportedFile {
  blob: Blob;
}

export interface DiagnosedScope {
  /** How many elements the scope has: every one of them was sent in a `rows` message. */
  elements: number;
}

/** A PSIS-LOO result as it crosses to the page: observation labels as text, the pointwise arrays transferred. */
export type LooSummary = Omit<LooResult, "labels"> & { labels: string[][]; model: string };

/** PSIS-LOO of every model open (in their order), and with several the comparison, ranked. */
export interface LooResults {
  models: LooSummary[];
  compare?: ComparisonRow[];
}

export interface ModelsKept {
  models: number;
}

export type EngineResult = OpenedTrace | ExtractedTable | DiagnosedScope | PanelDataResult | TablePage | ExportedFile | LooResults | ModelsKept;

export type EngineResponse =
  | { id: number; type: "result"; result: EngineResult }
  | { id: number; type: "error"; error: EngineErrorData }
  | { id: number; type: "progress"; progress: TaskProgress | DiagnoseProgress }
  /** Rows of a diagnostics table (see engine/diagnostics-output.ts) as an Arrow IPC stream, transferred. */
  | { id: number; type: "rows"; ipc: Uint8Array };

/**
 * How far a request has got: an extraction counts arrays and chunks; an open, metadata reads, or
 * for CmdStan's CSV files, the files and bytes parsed.
 */
export type TaskProgress = ({ kind: "extract" } & ExtractProgress) | ({ kind: "open" } & ReadCount) | ({ kind: "parse" } & ParseProgress);

/** How far a diagnose or loo request has got: elements (observations) done of the total (shown in their section, not the task bar). */
export interface DiagnoseProgress {
  kind: "diagnose" | "loo";
  done: number;
  total: number;
}
