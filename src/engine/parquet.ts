import { Table, tableFromIPC, tableToIPC, type RecordBatch } from "apache-arrow";
import { DrawscopeError } from "./errors.ts";

/**
 * Parquet through parquet-wasm (Rust's arrow and parquet crates compiled to WebAssembly).
 * Its wasm is about 5 MB, so it is imported on first use only: a page that never writes Parquet
 * never downloads it. What parquet-wasm keeps: column types (dictionary strings stay
 * `Dictionary<Int8, Utf8>`, Float32, Int32, Bool) and each field's metadata (drawscope:role,
 * drawscope:dims), because the writer embeds the Arrow schema in the file's key-value metadata.
 */

type ParquetWasm = typeof import("parquet-wasm");

/** Parquet could not be loaded, written or read; `stage` says which. */
export class ParquetError extends DrawscopeError {
  override name = "ParquetError";
  override readonly tag = "parquet";
  constructor(
    readonly stage: "load" | "write" | "read",
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Rows handed to the writer at a time, so WebAssembly memory holds one slice, not the table. */
const ROWS_PER_SLICE = 65536;

let loading: Promise<ParquetWasm> | undefined;

/** wasm-bindgen rethrows Rust errors as JS errors or plain strings. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * parquet-wasm, ready to use. In the browser its web build fetches and compiles the wasm at
 * `wasmUrl` (the app passes the URL of its bundled copy); Node resolves the package's CommonJS
 * build, which compiles its wasm when it is imported, so `wasmUrl` is not needed there.
 */
function loadParquet(wasmUrl?: string | URL): Promise<ParquetWasm> {
  loading ??= (async () => {
    const wasm = await import("parquet-wasm");
    // The web build's default export is its initialiser; the CommonJS build's is module.exports.
    if (typeof wasm.default === "function") await wasm.default(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl });
    return wasm;
  })().catch((error: unknown) => {
    loading = undefined;
    throw new ParquetError("load", `the Parquet writer (parquet-wasm) did not load: ${messageOf(error)}`, { cause: error });
  });
  return loading;
}

/** Slices of at most ROWS_PER_SLICE rows of each record batch. */
function* slices(table: Table): Generator<RecordBatch> {
  for (const batch of table.batches) {
    for (let start = 0; start < batch.numRows; start += ROWS_PER_SLICE) {
      yield batch.slice(start, Math.min(batch.numRows, start + ROWS_PER_SLICE));
    }
  }
}

/**
 * A table as a Parquet file (Zstandard-compressed), in the pieces the writer streams out. The
 * table goes to WebAssembly one slice at a time as an Arrow IPC stream.
 */
export async function tableToParquet(table: Table, options: { wasmUrl?: string | URL } = {}): Promise<Uint8Array<ArrayBuffer>[]> {
  const wasm = await loadParquet(options.wasmUrl);
  try {
    const properties = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.ZSTD).setCreatedBy("drawscope").build();
    // A table without rows is its schema alone: written whole, there is nothing to stream.
    if (table.numRows === 0) return [wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, "stream")), properties) as Uint8Array<ArrayBuffer>];
    const pending = slices(table);
    const batches = new ReadableStream({
      pull(controller) {
        const next = pending.next();
        if (next.done) return controller.close();
        controller.enqueue(wasm.Table.fromIPCStream(tableToIPC(new Table(table.schema, [next.value]), "stream")).recordBatch(0));
      },
    });
    const reader = (await wasm.transformParquetStream(batches, properties)).getReader();
    const pieces: Uint8Array<ArrayBuffer>[] = [];
    for (let read = await reader.read(); !read.done; read = await reader.read()) pieces.push(read.value as Uint8Array<ArrayBuffer>);
    return pieces;
  } catch (error) {
    throw new ParquetError("write", `could not write Parquet: ${messageOf(error)}`, { cause: error });
  }
}

/** A Parquet file read back as an Arrow table (record batches of up to ROWS_PER_SLICE rows). */
export async function parquetToTable(bytes: Uint8Array, options: { wasmUrl?: string | URL } = {}): Promise<Table> {
  const wasm = await loadParquet(options.wasmUrl);
  try {
    return tableFromIPC(wasm.readParquet(bytes, { batchSize: ROWS_PER_SLICE }).intoIPCStream());
  } catch (error) {
    throw new ParquetError("read", `could not read Parquet: ${messageOf(error)}`, { cause: error });
  }
}
