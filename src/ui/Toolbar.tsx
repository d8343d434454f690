import { useRef, useState } from "react";
import { useActions, useApp } from "./context.ts";
import { fileFromInput, folderFromInput, UnsupportedInput, type PickedTrace } from "./sources.ts";
import "./Toolbar.css";

/** Open a picked folder or file; problems found before the worker sees it become a notice. */
function useOpenPicked() {
  const { openSource, rejectInput } = useActions();
  return (pick: () => PickedTrace) => {
    try {
      const picked = pick();
      void openSource(picked.source, picked.ref, picked.label);
    } catch (error) {
      if (error instanceof UnsupportedInput) rejectInput(error.message);
      else throw error;
    }
  };
}

function CopyLink() {
  const trace = useApp((s) => s.trace);
  const [status, setStatus] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setStatus("Link copied");
    } catch {
      setStatus("Copy blocked: copy the address bar instead");
    }
    setTimeout(() => setStatus(""), 2500);
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} disabled={!trace} title="Copy a link to this view">
        Copy link
      </button>
      <span className="copy-status" role="status">
        {status}
      </span>
    </>
  );
}

/** A button that opens the browser's picker (a hidden file input) and opens what was picked. */
function PickButton(props: { label: string; inputLabel: string; accept?: string; directory?: boolean; multiple?: boolean; pick: (files: FileList) => PickedTrace }) {
  const openPicked = useOpenPicked();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        {props.label}
      </button>
      <input
        ref={input}
        type="file"
        aria-label={props.inputLabel}
        accept={props.accept}
        multiple={props.multiple}
        hidden
        {...(props.directory ? { webkitdirectory: "" } : {})}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files) openPicked(() => props.pick(files));
          e.currentTarget.value = "";
        }}
      />
    </>
  );
}

/** Whether the next trace opened is added beside those open, as another model to compare. */
function AddModelToggle() {
  const adding = useApp((s) => s.addingModel);
  const open = useApp((s) => s.trace !== undefined);
  const { setAddingModel } = useActions();
  return (
    <button
      type="button"
      aria-pressed={adding}
      disabled={!open}
      title="Add the next trace you open (drop, Open folder, Open file or Open URL) beside the ones open, as another model: queries stack them by a model column, and LOO compares them"
      onClick={() => setAddingModel(!adding)}
    >
      {adding ? "Adding a model…" : "Add model"}
    </button>
  );
}

/** Ways to open a trace, and the share button. */
export function Toolbar() {
  const { openExample, openUrl } = useActions();
  const [url, setUrl] = useState("");
  return (
    <div className="toolbar">
      <PickButton label="Open folder" inputLabel="Zarr folder, or folder of CmdStan CSV files, to open" directory pick={folderFromInput} />
      <PickButton label="Open file" inputLabel="Zipped Zarr store, NetCDF file, or CmdStan CSV files, to open" accept=".zip,.nc,.nc4,.h5,.csv" multiple pick={fileFromInput} />
      <form
        className="url-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim()) void openUrl(new URL(url.trim(), location.href).href);
        }}
      >
        <input type="text" inputMode="url" aria-label="Store URL" placeholder="https://…/trace.zarr, .zip, .nc or .csv" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit">Open URL</button>
      </form>
      <button type="button" onClick={() => void openExample()}>
        Example
      </button>
      <AddModelToggle />
      <CopyLink />
    </div>
  );
}
