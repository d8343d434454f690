/** The DOM-free engine: runs unchanged in a Web Worker and in Node. */
export { CmdStanError, DrawscopeError, DTypeError, SpecError, StoreError, type CmdStanErrorKind, type SpecErrorKind } from "./errors.ts";
export { parseQuery, parseSpec, type Spec, type Token } from "./spec.ts";
export { openTrace, type OpenOptions, type Trace } from "./trace.ts";
export { WorkPool, type WorkPort } from "./pool/pool.ts";
export type { ExtractOptions } from "./extract.ts";
export type { DrawBatches, StreamOptions } from "./stream.ts";
export type { DimInfo, GroupInfo, TraceTree, VariableInfo } from "./tree.ts";
export type { TraceStore } from "./store/types.ts";
export { openZipBlob } from "./store/zip.ts";
export { openFileEntries, openFiles, type FileEntry } from "./store/files.ts";
export { openFile } from "./store/file.ts";
export { openCmdStan, type CmdStanOptions, type ParseProgress } from "./cmdstan/open.ts";
export { openDirectoryHandle } from "./store/directory.ts";
export { openUrl } from "./store/url.ts";
export { toCsv } from "./csv.ts";
