import { isCsvName } from "../engine/cmdstan/detect.ts";
import type { FileEntry } from "../engine/store/files.ts";
import type { TraceRef } from "../state/view.ts";
import type { TraceSource } from "../worker/protocol.ts";

/** A trace the user handed over, ready for the worker, with how a link refers to it. */
export interface PickedTrace {
  source: TraceSource;
  ref: TraceRef;
  label: string;
}

/** Why a dropped or picked thing cannot be opened, in words for the notice. */
export class UnsupportedInput extends Error {
  override name = "UnsupportedInput";
}

function fileTrace(file: File): PickedTrace {
  return { source: { kind: "zip", blob: file, name: file.name }, ref: { kind: "local", label: file.name }, label: file.name };
}

/** Several files at once: CmdStan's CSV files, one per chain, named in a link by the first and last. */
function csvFilesTrace(files: File[]): PickedTrace {
  const others = files.filter((f) => !isCsvName(f.name));
  if (others.length) {
    throw new UnsupportedInput(
      `${files.length} files were given, and ${others.map((f) => f.name).join(", ")} ${others.length === 1 ? "is" : "are"} not CSV: ` +
        "open one Zarr folder or one .zip, or CmdStan's CSV files (one per chain) together",
    );
  }
  const names = files.map((f) => f.name).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const label = `${names[0]} … ${names[names.length - 1]}`;
  const entries = files.map((f) => ({ path: f.name, blob: f }));
  return { source: { kind: "files", files: entries, name: label }, ref: { kind: "local", label }, label };
}

/** Files from `<input type=file webkitdirectory>`: paths start with the picked folder's name. */
export function folderFromInput(files: FileList): PickedTrace {
  const entries: FileEntry[] = Array.from(files, (f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
  if (!entries.length) throw new UnsupportedInput("the picked folder is empty: pick the Zarr folder itself (e.g. trace.zarr)");
  const name = entries[0].path.split("/")[0];
  return { source: { kind: "files", files: entries, name }, ref: { kind: "local", label: name }, label: name };
}

export function fileFromInput(files: FileList): PickedTrace {
  const picked = Array.from(files);
  if (!picked.length) throw new UnsupportedInput("no file was picked");
  return picked.length === 1 ? fileTrace(picked[0]) : csvFilesTrace(picked);
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: FileEntry[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, blob: file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries returns the listing in batches; an empty batch ends it.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    await Promise.all(batch.map((child) => walkEntry(child, path, out)));
  }
}

/**
 * What was dropped: a folder (read through the directory entry API), a zip or CSV file, or
 * CmdStan's CSV files together. Entries must be taken from the DataTransfer before the first
 * await, while the drop event is current.
 */
export function droppedTrace(data: DataTransfer): Promise<PickedTrace> {
  const items = Array.from(data.items).filter((i) => i.kind === "file");
  const entries = items.map((i) => i.webkitGetAsEntry());
  const files = Array.from(data.files);
  return (async () => {
    if (files.length > 1 && entries.every((e) => !e?.isDirectory)) return csvFilesTrace(files);
    if (items.length !== 1 && files.length !== 1) {
      throw new UnsupportedInput(`${items.length || files.length || "no"} items were dropped: drop one Zarr folder or one .zip, or CmdStan's CSV files (one per chain)`);
    }
    const entry = entries[0];
    if (entry?.isDirectory) {
      const out: FileEntry[] = [];
      await walkEntry(entry, "", out);
      if (!out.length) throw new UnsupportedInput(`the folder ${entry.name} is empty`);
      return { source: { kind: "files", files: out, name: entry.name }, ref: { kind: "local", label: entry.name }, label: entry.name };
    }
    return fileTrace(files[0]);
  })();
}
