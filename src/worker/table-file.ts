import { tableToIPC, type Table } from "apache-arrow";
import { csvPieces, DATA_FORMATS, tableToParquet, type DataFormat } from "../engine/index.ts";

/**
 * A table as a file, written in the worker next to the table: CSV (piece by piece into the Blob,
 * so no one string holds the whole file), an Arrow IPC file, or Parquet (parquet-wasm, fetched the
 * first time). The Blob crosses to the page by reference, not by copying its bytes.
 */
export async function tableBlob(table: Table, format: DataFormat, signal?: AbortSignal): Promise<Blob> {
  const { type } = DATA_FORMATS[format];
  if (format === "arrow") return new Blob([tableToIPC(table, "file") as Uint8Array<ArrayBuffer>], { type });
  if (format === "parquet") {
    const { default: wasmUrl } = await import("parquet-wasm/esm/parquet_wasm_bg.wasm?url");
    return new Blob(await tableToParquet(table, { wasmUrl }), { type });
  }
  const pieces: Blob[] = [];
  for (const piece of csvPieces(table)) {
    signal?.throwIfAborted();
    pieces.push(new Blob([piece]));
  }
  return new Blob(pieces, { type });
}
