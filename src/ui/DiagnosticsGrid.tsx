import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { DiagnosticsRows } from "../state/diagnostics-rows.ts";
import { flagReason, formatStat, STAT_COLUMNS } from "./diagnostics-format.ts";
import type { SortKey, Thresholds } from "./diagnostics-view.ts";

/** Every row is this tall (CSS keeps it so), which is what lets the grid render only what is in view. */
export const ROW_HEIGHT = 26;
/** Rows rendered beyond each edge of the view, so a fast wheel never shows a blank strip. */
const OVERSCAN = 10;
/** Element names are 13px monospace: about this many px a character (0.6 em). */
const NAME_CHAR_PX = 7.83;
/** Longer names are cut with an ellipsis (the full name and spec are in the cell's tooltip). */
const NAME_CHARS_MAX = 60;
/** The flag marker (16px) and the cell's padding (8px). */
const NAME_EXTRA_PX = 24;

export interface RowClick {
  row: number;
  position: number;
  /** ctrl/cmd: toggle the row in the selection; shift: select up to it. */
  toggle: boolean;
  range: boolean;
}

interface GridProps {
  rows: DiagnosticsRows;
  /** Bumped when rows arrive, so the stat arrays are read again. */
  version: number;
  /** Row numbers in display order. */
  shown: Int32Array;
  flags: Uint8Array;
  thresholds: Thresholds;
  sort: SortKey;
  descending: boolean;
  groupColumn: boolean;
  /** Changes when the user re-orders or narrows the rows (not when more stream in): back to the top. */
  arrangement: string;
  selected: ReadonlySet<number>;
  onSort(key: SortKey): void;
  onRowClick(click: RowClick): void;
  /** Enter on the active row (keyboard). */
  onOpen(row: number): void;
  onToggle(row: number): void;
}

/** Height of the scroll box and the first row in view, kept as the user scrolls; a new arrangement starts at the top. */
function useViewport(box: React.RefObject<HTMLDivElement | null>, arrangement: string) {
  const [height, setHeight] = useState(0);
  const [first, setFirst] = useState(0);
  useLayoutEffect(() => {
    const node = box.current;
    if (!node) return;
    setHeight(node.clientHeight);
    const observer = new ResizeObserver(() => setHeight(node.clientHeight));
    observer.observe(node);
    return () => observer.disconnect();
  }, [box]);
  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = 0;
    setFirst(0);
  }, [box, arrangement]);
  // Re-render only when the first row in view changes, not on every scroll pixel.
  const onScroll = () => setFirst(Math.floor((box.current?.scrollTop ?? 0) / ROW_HEIGHT));
  return { height, first, onScroll };
}

function ariaSort(key: SortKey, sort: SortKey, descending: boolean): "ascending" | "descending" | undefined {
  if (key !== sort) return undefined;
  return descending ? "descending" : "ascending";
}

function SortHeader(props: { sortKey: SortKey; label: string; title: string; sort: SortKey; descending: boolean; className?: string; onSort(key: SortKey): void }) {
  const direction = ariaSort(props.sortKey, props.sort, props.descending);
  return (
    <th scope="col" aria-sort={direction} className={props.className}>
      <button type="button" title={`${props.title}. Click to sort; again to reverse.`} onClick={() => props.onSort(props.sortKey)}>
        {props.label}
        <span className="diag-sort" aria-hidden="true">
          {direction === "ascending" ? "▲" : direction === "descending" ? "▼" : ""}
        </span>
      </button>
    </th>
  );
}

/**
 * The diagnostics rows as a virtualised grid: a scroll box with a sticky header in which only the
 * rows in view (and a few either side) are in the DOM, between two spacer rows of the right height.
 */
export function DiagnosticsGrid(props: GridProps) {
  const { rows, version, shown, flags, thresholds, sort, descending, groupColumn, selected } = props;
  const box = useRef<HTMLDivElement>(null);
  const { height, first, onScroll } = useViewport(box, props.arrangement);
  const [active, setActive] = useState(-1);
  const stats = useMemo(() => STAT_COLUMNS.map((c) => rows.stat(c.key)), [rows, version]);

  const count = shown.length;
  const inView = Math.ceil(height / ROW_HEIGHT);
  const start = Math.max(0, Math.min(first, count - inView) - OVERSCAN);
  const end = Math.min(count, first + inView + OVERSCAN);
  const columns = 1 + STAT_COLUMNS.length + (groupColumn ? 1 : 0);
  const current = active >= 0 && active < count ? active : -1;

  /** Make a display position the active row, scrolling it into view below the sticky header. */
  const activate = (position: number) => {
    const node = box.current;
    const next = Math.max(0, Math.min(count - 1, position));
    setActive(next);
    if (!node) return;
    const header = node.querySelector("thead")?.getBoundingClientRect().height ?? ROW_HEIGHT;
    const top = next * ROW_HEIGHT;
    if (top < node.scrollTop) node.scrollTop = top;
    else if (top + ROW_HEIGHT + header > node.scrollTop + node.clientHeight) node.scrollTop = top + ROW_HEIGHT + header - node.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    if (!count) return;
    const page = Math.max(1, inView - 2);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) activate(current < 0 ? 0 : current + moves[e.key]);
    else if (e.key === "Home") activate(0);
    else if (e.key === "End") activate(count - 1);
    else if (e.key === "Enter" && current >= 0) props.onOpen(shown[current]);
    else if (e.key === " " && current >= 0) props.onToggle(shown[current]);
    else return;
    e.preventDefault();
  };

  const onClick = (e: MouseEvent, position: number) => {
    setActive(position);
    props.onRowClick({ row: shown[position], position, toggle: e.ctrlKey || e.metaKey, range: e.shiftKey });
  };

  const body = [];
  for (let position = start; position < end; position++) {
    const row = shown[position];
    const flag = flags[row];
    const classes = [flag ? "flagged" : "", position === current ? "active" : ""].filter(Boolean).join(" ");
    body.push(
      <tr
        key={row}
        id={`diag-row-${row}`}
        aria-rowindex={position + 2}
        aria-selected={selected.has(row)}
        className={classes || undefined}
        onMouseDown={(e) => e.shiftKey && e.preventDefault()}
        onClick={(e) => onClick(e, position)}
      >
        {groupColumn && <td className="diag-group">{rows.group(row)}</td>}
        <td className="diag-element" title={rows.spec(row)}>
          {flag !== 0 && (
            <span className="diag-marker" role="img" aria-label="flagged">
              ⚠
            </span>
          )}
          <span className="diag-name">{rows.element(row)}</span>
        </td>
        {STAT_COLUMNS.map((column, k) => {
          const value = stats[k][row];
          const reason = flagReason(column, value, thresholds);
          return (
            <td key={column.key} className={reason ? "number flagged" : "number"} title={reason ?? String(value)}>
              {formatStat(column.key, value)}
            </td>
          );
        })}
      </tr>,
    );
  }

  return (
    <div ref={box} className="diag-scroll" onScroll={onScroll}>
      <table
        role="grid"
        aria-label="Diagnostics rows"
        aria-rowcount={count + 1}
        aria-colcount={columns}
        aria-multiselectable="true"
        aria-activedescendant={current >= 0 ? `diag-row-${shown[current]}` : undefined}
        tabIndex={0}
        className={groupColumn ? "diag-table with-group" : "diag-table"}
        style={{ "--element-width": `${Math.ceil(Math.min(rows.longestElement, NAME_CHARS_MAX) * NAME_CHAR_PX) + NAME_EXTRA_PX}px`, "--row-height": `${ROW_HEIGHT}px` } as React.CSSProperties}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          {groupColumn && <col className="diag-col-group" />}
          <col className="diag-col-element" />
          {STAT_COLUMNS.map((c) => (
            <col key={c.key} className={`diag-col-stat diag-col-${c.key}`} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {groupColumn && (
              <th scope="col" className="diag-group">
                group
              </th>
            )}
            <SortHeader sortKey="element" label="element" title="The element's name" sort={sort} descending={descending} onSort={props.onSort} className="diag-element" />
            {STAT_COLUMNS.map((c) => (
              <SortHeader key={c.key} sortKey={c.key} label={c.label} title={c.title} sort={sort} descending={descending} onSort={props.onSort} className="number" />
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="diag-spacer" aria-hidden="true" style={{ height: start * ROW_HEIGHT }}>
            <td colSpan={columns} />
          </tr>
          {body}
          <tr className="diag-spacer" aria-hidden="true" style={{ height: (count - end) * ROW_HEIGHT }}>
            <td colSpan={columns} />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
