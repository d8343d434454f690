import type { Table } from "apache-arrow";
import { useCallback, useEffect, useState } from "react";
import type { TraceTree } from "../engine/tree.ts";
import { EngineError, type EngineClient } from "../worker/client.ts";
import type { EngineErrorData, TraceSource } from "../worker/protocol.ts";
import { QueryError } from "./QueryError.tsx";
import { TablePreview } from "./TablePreview.tsx";
import { TraceOutline } from "./TraceOutline.tsx";

function toErrorData(error: unknown): EngineErrorData {
  return error instanceof EngineError ? error.data : { name: "Error", message: error instanceof Error ? error.message : String(error) };
}

/**
 * The engine preview: open a trace (the bundled example on start, or a zipped store), read its
 * outline, and run a query in the worker to see the tidy table it gives.
 */
export function App({ engine, exampleUrl }: { engine: EngineClient; exampleUrl: string }) {
  const [tree, setTree] = useState<TraceTree>();
  const [query, setQuery] = useState("beta[groups], sigma");
  const [result, setResult] = useState<{ table: Table; query: string }>();
  const [error, setError] = useState<{ data: EngineErrorData; query: string }>();
  const [busy, setBusy] = useState(false);

  const open = useCallback(
    async (source: TraceSource) => {
      setBusy(true);
      try {
        setTree(await engine.open(source));
        setResult(undefined);
        setError(undefined);
      } catch (e) {
        setError({ data: toErrorData(e), query: "" });
      } finally {
        setBusy(false);
      }
    },
    [engine],
  );

  const openExample = useCallback(async () => {
    const response = await fetch(exampleUrl);
    if (!response.ok) {
      setError({ data: { name: "StoreError", message: `the bundled example is missing (${response.status}): run npm start` }, query: "" });
      return;
    }
    await open({ kind: "zip", blob: await response.blob(), name: "grouped_regression.zarr.zip" });
  }, [exampleUrl, open]);

  useEffect(() => {
    void openExample();
  }, [openExample]);

  const run = async () => {
    setBusy(true);
    try {
      setResult({ table: await engine.extract(query), query });
      setError(undefined);
    } catch (e) {
      setError({ data: toErrorData(e), query });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="app" aria-busy={busy}>
      <header>
        <h1>drawscope</h1>
        <span className="tag">engine preview</span>
        <label className="button">
          Open zip…
          <input
            type="file"
            accept=".zip"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void open({ kind: "zip", blob: file, name: file.name });
            }}
          />
        </label>
        <button type="button" onClick={() => void openExample()}>
          Example
        </button>
      </header>
      <aside>{tree ? <TraceOutline tree={tree} /> : <p>{busy ? "Opening…" : "No trace open."}</p>}</aside>
      <main>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <input aria-label="Query" value={query} onChange={(e) => setQuery(e.target.value)} spellCheck={false} disabled={!tree} />
          <button type="submit" disabled={!tree || busy}>
            Run
          </button>
        </form>
        {error && <QueryError error={error.data} query={error.query} />}
        {result && <TablePreview table={result.table} query={result.query} />}
      </main>
    </div>
  );
}
