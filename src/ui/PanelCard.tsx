import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { resolveOptions } from "../panels/options.ts";
import { panelKind } from "../panels/registry.ts";
import type { OptionValue, PanelFigure, PanelOptions } from "../panels/types.ts";
import type { TableShape } from "../engine/table-shape.ts";
import type { PanelState } from "../state/view.ts";
import { isDrawscopeError } from "../engine/errors.ts";
import { errorDataOf } from "../worker/client.ts";
import { useActions, useApp, useEngine } from "./context.ts";
import { ExportMenu } from "./ExportMenu.tsx";
import { PanelOptionsForm } from "./PanelOptionsForm.tsx";
import { ReportDetails } from "./ReportDetails.tsx";
import "./PanelCard.css";

/** Width of an element, kept current as the layout changes. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    setWidth(node.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(node);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Why a panel is not drawn: what the user can change, or a bug with its stack for a report. */
interface Problem {
  text: string;
  details?: string;
}

/**
 * A failure to compute or draw a panel, as the user is told it: a drawscope error (a refused
 * query, data the panel cannot draw) in its own words; a bug said to be one.
 */
function problemOf(error: unknown): Problem {
  const data = errorDataOf(error);
  return data.tag === "internal" ? { text: `This panel could not be drawn: ${data.message}.`, details: data.details } : { text: `This panel could not be drawn: ${data.message}` };
}

/** What the worker computed for this panel: for which table and query, with which options. */
interface Computed {
  table: number;
  query: string;
  shape: TableShape;
  options: PanelOptions;
  data?: unknown;
  problem?: Problem;
  /** Counts the computations this card received, so a redraw can be told from a recomputation. */
  version: number;
}

/**
 * One panel: its options, move and remove buttons, and the figure it draws. The worker computes
 * the panel's data when the table or the options change; a resize only redraws that data.
 */
export function PanelCard({ panel, index, count }: { panel: PanelState; index: number; count: number }) {
  const kind = panelKind(panel.kind)!;
  const result = useApp((s) => s.result);
  const engine = useEngine();
  const { setPanelOption, movePanel, removePanel } = useActions();
  const body = useRef<HTMLDivElement>(null);
  const mount = useRef<HTMLDivElement>(null);
  const width = useWidth(body);
  const resolved = useMemo(() => (result ? resolveOptions(kind, panel.options, result.shape) : undefined), [kind, panel.options, result]);
  // What the worker computes from: the options, less those that only change the drawing.
  const dataOptions = useMemo(() => resolved && Object.fromEntries(Object.entries(resolved.options).filter(([key]) => !kind.drawOnly?.includes(key))), [kind, resolved]);
  const optionsKey = dataOptions ? JSON.stringify(dataOptions) : "";
  const [computed, setComputed] = useState<Computed>();

  // A layout effect: the request leaves before the browser paints, not a frame later.
  useLayoutEffect(() => {
    // A new trace: what was drawn from the last one goes.
    if (!result) setComputed(undefined);
    if (!result || !resolved || !dataOptions) return;
    const base = { table: result.table, query: result.query, shape: result.shape, options: dataOptions };
    const next = (outcome: { data?: unknown; problem?: Problem }) => setComputed((last) => ({ ...base, ...outcome, version: (last?.version ?? 0) + 1 }));
    if (result.oversize && !kind.streams) {
      next({ problem: { text: `${kind.title} needs the query's whole table, which is over the memory budget: narrow the query (a selection of labels, fewer specs) or raise the budget.` } });
      return;
    }
    const missing = kind.options.find((o) => o.type === "value" && resolved.options[o.key] === "");
    if (missing) {
      next({ problem: { text: `${kind.title} needs a number column, and ${result.query} gives none: add a spec with numeric draws.` } });
      return;
    }
    const job = engine.panelData(result.table, kind.kind, dataOptions);
    job.result.then(
      (data) => next({ data }),
      (error: unknown) => {
        if (isDrawscopeError(error, "cancelled")) return;
        next({ problem: problemOf(error) });
      },
    );
    return () => job.cancel();
    // `optionsKey`, not `dataOptions`: resolving the same options again gives a new object, not new data.
  }, [engine, kind, result, optionsKey]);

  // The draw-only options as they are now: the same object while their values are (keyed by value).
  const drawKey = JSON.stringify(kind.drawOnly?.map((key) => resolved?.options[key]) ?? []);
  const drawOptions = useMemo(() => Object.fromEntries((kind.drawOnly ?? []).flatMap((key) => (resolved ? [[key, resolved.options[key]]] : []))), [kind, drawKey]);

  // Drawn from what the worker computed alone (not the current result), so a new result does not
  // redraw the last figure while its own data is being computed.
  const drawn = useMemo((): { figure?: PanelFigure; problem?: Problem } => {
    if (!computed) return {};
    if (computed.problem !== undefined) return { problem: computed.problem };
    if (width === 0) return {};
    try {
      const setOption = (key: string, value: OptionValue) => setPanelOption(panel.id, key, value);
      const rows = (offset: number, size: number) => engine.page(computed.table, offset, size).result;
      const options = { ...computed.options, ...drawOptions };
      return { figure: kind.render(computed.data, options, { width, query: computed.query, shape: computed.shape, setOption, rows }) };
    } catch (error) {
      return { problem: problemOf(error) };
    }
  }, [kind, computed, drawOptions, width, panel.id, setPanelOption, engine]);
  // A problem is its table's: it goes as soon as another table is being drawn.
  const problem = computed?.table === result?.table ? drawn.problem : undefined;

  useLayoutEffect(() => {
    const node = mount.current;
    if (!node) return;
    node.replaceChildren(...(drawn.figure ? [drawn.figure.node] : []));
  }, [drawn]);

  const title = `${kind.title} panel`;
  return (
    <section className="panel" aria-label={title} data-kind={panel.kind}>
      <header className="panel-header">
        <h3>{kind.title}</h3>
        <PanelOptionsForm kind={kind} options={resolved?.options ?? panel.options} table={result?.shape} onChange={(key, value) => setPanelOption(panel.id, key, value)} />
        {/* A query over the memory budget has no table to export, nor tables derived from one; its figure exports. */}
        <ExportMenu figure={drawn.figure} table={result?.oversize ? undefined : result?.table} query={result?.query} kind={kind} options={computed?.options} />
        <div className="panel-tools">
          <button type="button" aria-label={`Move ${title} up`} title="Move up" disabled={index === 0} onClick={() => movePanel(panel.id, -1)}>
            ↑
          </button>
          <button type="button" aria-label={`Move ${title} down`} title="Move down" disabled={index === count - 1} onClick={() => movePanel(panel.id, 1)}>
            ↓
          </button>
          <button type="button" aria-label={`Remove ${title}`} title="Remove" onClick={() => removePanel(panel.id)}>
            ✕
          </button>
        </div>
      </header>
      <div ref={body} className="panel-body">
        {!result && <p className="muted">Run a query to draw this panel.</p>}
        {problem && (
          <div className="error" role="alert">
            <p>{problem.text}</p>
            <ReportDetails details={problem.details} />
          </div>
        )}
        {resolved && resolved.notes.length > 0 && <p className="muted">{resolved.notes.join("; ")}.</p>}
        <figure
          className="panel-figure"
          aria-label={drawn.figure?.name}
          hidden={!drawn.figure}
          data-query={computed?.query}
          data-computations={computed?.version}
          aria-busy={computed !== undefined && (computed.table !== result?.table || JSON.stringify(computed.options) !== optionsKey)}
        >
          <div ref={mount} />
          {drawn.figure && <figcaption>{drawn.figure.caption}</figcaption>}
        </figure>
      </div>
    </section>
  );
}
