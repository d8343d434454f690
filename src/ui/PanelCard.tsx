import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { resolveOptions } from "../panels/options.ts";
import { panelKind } from "../panels/registry.ts";
import type { OptionValue, PanelFigure } from "../panels/types.ts";
import type { PanelState } from "../state/view.ts";
import { useActions, useApp } from "./context.ts";
import { ExportMenu } from "./ExportMenu.tsx";
import { PanelOptionsForm } from "./PanelOptionsForm.tsx";

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

/** One panel: its options, move and remove buttons, and the figure it draws from the result. */
export function PanelCard({ panel, index, count }: { panel: PanelState; index: number; count: number }) {
  const kind = panelKind(panel.kind)!;
  const result = useApp((s) => s.result);
  const { setPanelOption, movePanel, removePanel } = useActions();
  const body = useRef<HTMLDivElement>(null);
  const mount = useRef<HTMLDivElement>(null);
  const width = useWidth(body);
  const resolved = useMemo(() => (result ? resolveOptions(kind, panel.options, result.table) : undefined), [kind, panel.options, result]);

  const drawn = useMemo((): { figure?: PanelFigure; problem?: string } => {
    if (!result || !resolved || width === 0) return {};
    const missing = kind.options.find((o) => o.type === "value" && resolved.options[o.key] === "");
    if (missing) return { problem: `${kind.title} needs a number column, and ${result.query} gives none: add a spec with numeric draws.` };
    try {
      const setOption = (key: string, value: OptionValue) => setPanelOption(panel.id, key, value);
      return { figure: kind.render(result.table, resolved.options, { width, query: result.query, setOption }) };
    } catch (error) {
      return { problem: `This panel could not be drawn: ${(error as Error).message}` };
    }
  }, [kind, result, resolved, width, panel.id, setPanelOption]);

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
        <PanelOptionsForm kind={kind} options={resolved?.options ?? panel.options} table={result?.table} onChange={(key, value) => setPanelOption(panel.id, key, value)} />
        <ExportMenu figure={drawn.figure} table={result?.table} query={result?.query} kind={panel.kind} />
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
        {drawn.problem && (
          <p className="error" role="alert">
            {drawn.problem}
          </p>
        )}
        {resolved && resolved.notes.length > 0 && <p className="muted">{resolved.notes.join("; ")}.</p>}
        <figure className="panel-figure" aria-label={drawn.figure?.name} hidden={!drawn.figure} data-query={result?.query}>
          <div ref={mount} />
          {drawn.figure && <figcaption>{drawn.figure.caption}</figcaption>}
        </figure>
      </div>
    </section>
  );
}
