/**
 * The engine's one public door: the DOM-free engine, which runs unchanged in a Web Worker and in
 * Node. The worker, the CLI and the benches import it (Node's own openings are in ./node.ts);
 * tests/engine-facade.test.ts keeps a snapshot of what it exports, so a change is seen in review.
 */

// Errors, told apart by their tag.
export { BudgetError, CmdStanError, DrawscopeError, DTypeError, isBug, isDrawscopeError, LooError, SpecError, StoreError } from "./errors.ts";
export type { CmdStanErrorKind, DrawscopeErrorTag, SpecErrorKind } from "./errors.ts";

// Opening a trace: from a store, a file, files, a folder handle, a URL, CmdStan's CSV files.
export { openTrace, type OpenOptions, type Trace } from "./trace.ts";
export type { DimInfo, GroupInfo, TraceTree, VariableInfo } from "./trace-tree.ts";
export { remoteChunksOf, type TraceStore } from "./store/types.ts";
export { openZipBlob } from "./store/zip.ts";
export { openFileEntries, openFiles, type FileEntry } from "./store/files.ts";
export { openFile } from "./store/file.ts";
export { openDirectoryHandle } from "./store/directory.ts";
export { openUrl } from "./store/url.ts";
export { NETWORK_TIMEOUTS } from "./store/timed-fetch.ts";
export { CountedStore, type ReadCount } from "./store/counting.ts";
export { openCmdStan, type CmdStanOptions, type ParseProgress } from "./cmdstan/open.ts";
export { traceFingerprint } from "./fingerprint.ts";

// Queries and their tables.
export { parseQuery, parseSpec, type Spec, type Token } from "./spec.ts";
export type { ExtractOptions } from "./extract.ts";
export type { DrawBatches, StreamOptions } from "./stream.ts";
export type { ExtractProgress } from "./progress.ts";
export { tableColumns } from "./columns.ts";
export { tableShape, type TableShape } from "./table-shape.ts";
export { modelName, stackModels } from "./stack-models.ts";

// Diagnostics, summaries and PSIS-LOO.
export type { DiagnosedBlock, DiagnosticsScope } from "./diagnose.ts";
export { diagnosticsCsvHeader, diagnosticsCsvLines, diagnosticsTable } from "./diagnostics-output.ts";
export { DIAGNOSTIC_NAMES } from "./stats/diagnostics.ts";
export { INTERVAL_KINDS, POINT_KINDS, summarizeTable, summaryTable, type IntervalKind, type PointKind } from "./stats/summary.ts";
export type { LooResult } from "./loo.ts";
export { LOO_POINTWISE, type REffMode } from "./stats/loo.ts";
export { comparedLoo, looCompare, type ComparisonRow } from "./stats/loo-compare.ts";

// Writing tables out.
export { toCsv, csvBatchPieces, csvHeader, csvPieces, escapeCsv } from "./csv.ts";
export { arrowFilePieces } from "./arrow-file-pieces.ts";
export { tableToParquet } from "./parquet.ts";
export { DATA_FORMATS, type DataFormat } from "./table-formats.ts";
export { formatCount, megabytes } from "./units.ts";

// The work pool, which the engine worker creates (a pool worker's body imports serve.ts itself).
export { WorkPool, type WorkPort, type WorkReply, type WorkRequest } from "./pool/pool.ts";

// Parts the benches measure on their own: the CSV chain parser, expressions, KDE, seeded draws.
export { ChainParser } from "./cmdstan/chain-parser.ts";
export { blobFile } from "./cmdstan/csv-file.ts";
export { lineBlocks } from "./cmdstan/line-blocks.ts";
export { parseDerived } from "./expression.ts";
export { compile, run } from "./evaluate.ts";
export { autoBounds, kde } from "./stats/kde.ts";
export { uniforms } from "./stats/random.ts";
