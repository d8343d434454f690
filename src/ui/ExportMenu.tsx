import { useEffect, useId, useRef, useState } from "react";
import { isDrawscopeError } from "../engine/errors.ts";
import { DATA_FORMATS, type DataFormat } from "../engine/table-formats.ts";
import type { PanelFigure, PanelOptions, PanelSpec } from "../panels/types.ts";
import { useEngine } from "./context.ts";
import { download, exportName, figureToSvg, isGraphic, svgToPng } from "./export.ts";
import "./ExportMenu.css";

interface ExportItem {
  label: string;
  /** What to try when this export fails. */
  instead: string;
  make: () => Promise<{ blob: Blob; name: string }>;
}

/** What to tell the user when an export fails, and what to do about it. */
function problemText(item: ExportItem, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const advice = isDrawscopeError(error, "parquet") && /did not load/.test(message) ? `Check the connection and try again, or ${item.instead}` : item.instead[0].toUpperCase() + item.instead.slice(1);
  return `${item.label} failed: ${message}. ${advice}.`;
}

const INSTEAD: Record<DataFormat, string> = {
  csv: "export it as Arrow instead",
  arrow: "export it as Parquet or CSV instead",
  parquet: "export it as Arrow or CSV instead",
};

/**
 * A panel's Export menu: its figure as SVG or PNG (when it draws a graphic), the query's tidy
 * table and the panel's derived table (e.g. contrast draws) as CSV, Arrow or Parquet — the tables
 * written in the worker, where they are.
 */
export function ExportMenu({ figure, table, query, kind, options }: { figure?: PanelFigure; table?: number; query?: string; kind: PanelSpec; options?: PanelOptions }) {
  const engine = useEngine();
  const [open, setOpen] = useState(false);
  /** The exports under way (a Parquet export may wait for its wasm while another runs). */
  const [busy, setBusy] = useState<string[]>([]);
  const [problem, setProblem] = useState<string>();
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key !== "Escape" : root.current?.contains(event.target as Node)) return;
      setOpen(false);
      if (event instanceof KeyboardEvent) toggle.current?.focus();
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const items: ExportItem[] = [];
  const base = [kind.kind, query ?? ""];
  if (figure && isGraphic(figure.node)) {
    const node = figure.node;
    items.push(
      { label: "Figure as SVG", instead: "export it as PNG instead", make: async () => ({ blob: new Blob([figureToSvg(node).text], { type: "image/svg+xml" }), name: exportName(base, "svg") }) },
      { label: "Figure as PNG", instead: "export it as SVG instead", make: async () => ({ blob: await svgToPng(figureToSvg(node)), name: exportName(base, "png") }) },
    );
  }
  const tables: { label: string; panel?: { kind: string; options: PanelOptions }; parts: string[] }[] = [];
  if (table !== undefined) {
    tables.push({ label: "Table", parts: ["tidy", query ?? ""] });
    if (kind.derived && options && figure) tables.push({ label: kind.derived, panel: { kind: kind.kind, options }, parts: [kind.kind, kind.derived, query ?? ""] });
  }
  for (const t of tables) {
    for (const format of Object.keys(DATA_FORMATS) as DataFormat[]) {
      const { label, extension } = DATA_FORMATS[format];
      const make = async () => ({ blob: await engine.exportTable(table!, format, t.panel).result, name: exportName(t.parts, extension) });
      items.push({ label: `${t.label} as ${label}`, instead: INSTEAD[format], make });
    }
  }
  if (items.length === 0) return null;

  const run = async (item: ExportItem) => {
    setOpen(false);
    // The list hides: keyboard users go on from the Export button.
    toggle.current?.focus();
    setProblem(undefined);
    setBusy((b) => [...b, item.label]);
    try {
      const { blob, name } = await item.make();
      download(blob, name);
    } catch (error) {
      setProblem(problemText(item, error));
    } finally {
      setBusy((b) => b.filter((l) => l !== item.label));
    }
  };

  return (
    <>
      <div className="export-menu" ref={root}>
        <button ref={toggle} type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          Export
        </button>
        <div id={listId} className="export-list" role="group" aria-label="Export" hidden={!open}>
          {items.map((item) => (
            <button key={item.label} type="button" onClick={() => void run(item)}>
              {item.label}
            </button>
          ))}
        </div>
        {busy.length > 0 && (
          <span className="export-busy muted" role="status">
            Exporting: {busy.join(", ")}…
          </span>
        )}
      </div>
      {problem && (
        <p className="export-problem error" role="alert">
          {problem}{" "}
          <button type="button" onClick={() => setProblem(undefined)}>
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}
