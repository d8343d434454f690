import { useRef, useState } from "react";
import { useActions, useApp } from "./context.ts";
import { fileFromInput, folderFromInput, UnsupportedInput, type PickedTrace } from "./sources.ts";

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

/** Ways to open a trace, and the share button. */
export function Toolbar() {
  const { openExample, openUrl } = useActions();
  const openPicked = useOpenPicked();
  const folder = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState("");
  return (
    <div className="toolbar">
      <button type="button" onClick={() => folder.current?.click()}>
        Open folder
      </button>
      <input
        ref={folder}
        type="file"
        aria-label="Zarr folder to open"
        hidden
        {...{ webkitdirectory: "" }}
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files) openPicked(() => folderFromInput(files));
          e.currentTarget.value = "";
        }}
      />
      <button type="button" onClick={() => file.current?.click()}>
        Open file
      </button>
      <input
        ref={file}
        type="file"
        aria-label="Zipped Zarr store to open"
        accept=".zip,.nc"
        hidden
        onChange={(e) => {
          const files = e.currentTarget.files;
          if (files) openPicked(() => fileFromInput(files));
          e.currentTarget.value = "";
        }}
      />
      <form
        className="url-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim()) void openUrl(new URL(url.trim(), location.href).href);
        }}
      >
        <input type="text" inputMode="url" aria-label="Store URL" placeholder="https://…/trace.zarr or .zip" value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit">Open URL</button>
      </form>
      <button type="button" onClick={() => void openExample()}>
        Example
      </button>
      <CopyLink />
    </div>
  );
}
