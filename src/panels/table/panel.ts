import { tableFromIPC } from "apache-arrow";
import { formatCount, formatNumber } from "../style.ts";
import type { PanelKind } from "../types.ts";
import type { TableData } from "./data.ts";
import { cellText, RowPages } from "./rows.ts";
import "./table.css";

/** Every row is this tall (set on the rows themselves), so a scroll offset is a row number. */
const ROW_PX = 24;
/** The header row (a name and a type on two lines). */
const HEAD_PX = 40;
/** Browsers cap an element's height (Chromium near 33M px): beyond this, one pixel of scroll spans several rows. */
const MAX_SCROLL_PX = 8_000_000;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export const panel: PanelKind<TableData> = {
  kind: "table",
  title: "Table",
  order: 90,
  options: [
    {
      key: "rows",
      label: "Rows shown",
      type: "choice",
      choices: ["10", "20", "50", "100"].map((v) => ({ value: v, label: v })),
      default: "20",
    },
  ],
  // How many rows show at once does not change what the worker sends.
  drawOnly: ["rows"],
  render(data, options, { query, shape, rows }) {
    const { columns } = shape;
    const { numRows } = data;
    const first = tableFromIPC(data.first);
    const pages = new RowPages(numRows, first, rows ?? (async () => first.slice(0, 0)));
    const shown = Math.min(numRows, Number(options.rows));

    const root = element("div", undefined, "tidy-table");
    const viewport = element("div", undefined, "tidy-scroll");
    viewport.tabIndex = 0;
    viewport.setAttribute("aria-label", `Rows of the table: scroll or use the arrow keys to page through ${formatCount(numRows, "row")}`);
    const grid = element("table");
    const head = element("thead");
    const headRow = element("tr");
    headRow.style.height = `${HEAD_PX}px`;
    const rowHeader = element("th", "row");
    rowHeader.scope = "col";
    headRow.append(rowHeader);
    for (const c of columns) {
      const th = element("th");
      th.scope = "col";
      th.append(element("span", c.name), element("small", c.type.replace(/^Dictionary<(\w+), Utf8>$/, "Utf8 ($1 codes)")));
      headRow.append(th);
    }
    head.append(headRow);
    const body = element("tbody");
    const numberColumn = columns.map((c) => c.numeric && c.role === "value");
    const cells = Array.from({ length: shown }, () => {
      const tr = element("tr");
      tr.style.height = `${ROW_PX}px`;
      const index = element("th");
      index.scope = "row";
      const tds = columns.map((_, k) => element("td", "", numberColumn[k] ? "number" : undefined));
      tr.append(index, ...tds);
      body.append(tr);
      return { index, tds };
    });
    grid.append(head, body);
    // The grid sticks to the top of the viewport; the spacer after it gives the scroll range of every row.
    const rowSpan = Math.min(numRows * ROW_PX, MAX_SCROLL_PX);
    const spacer = element("div", undefined, "tidy-spacer");
    spacer.style.height = `${Math.max(0, rowSpan - shown * ROW_PX)}px`;
    viewport.style.height = `${HEAD_PX + shown * ROW_PX + 2}px`;
    viewport.append(grid, spacer);
    const position = element("p", "", "muted tidy-position");
    position.setAttribute("role", "status");
    root.append(viewport, position);

    const firstRowAt = (scrollTop: number): number => {
      const range = rowSpan - shown * ROW_PX;
      if (range <= 0) return 0;
      const rows = numRows - shown;
      return Math.min(rows, Math.max(0, Math.round(rowSpan === numRows * ROW_PX ? scrollTop / ROW_PX : (scrollTop / range) * rows)));
    };
    let wanted = -1;
    const show = async (from: number) => {
      wanted = from;
      position.textContent = `Rows ${formatNumber(from + 1)}–${formatNumber(from + shown)} of ${formatNumber(numRows)}`;
      try {
        const values = await pages.rows(from, from + shown);
        if (wanted !== from) return;
        cells.forEach(({ index, tds }, r) => {
          index.textContent = formatNumber(from + r + 1);
          tds.forEach((td, k) => {
            const { text, exact } = cellText(values[r]?.[k] ?? "");
            td.textContent = text;
            if (exact) td.title = exact;
            else td.removeAttribute("title");
          });
        });
        root.dataset.firstRow = String(from);
      } catch (error) {
        if (wanted === from) position.textContent = `Rows ${formatNumber(from + 1)}–${formatNumber(from + shown)} could not be read: ${(error as Error).message}`;
      }
    };
    let frame = 0;
    viewport.addEventListener("scroll", () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void show(firstRowAt(viewport.scrollTop)));
    });
    void show(0);

    return {
      name: `Tidy table of ${query}: ${formatCount(numRows, "row")}, ${formatCount(columns.length, "column")}`,
      caption: `${formatNumber(shown)} of ${formatCount(numRows, "row")} at a time: scroll the table to read the others from the worker. Columns: ${columns.map((c) => `${c.name} (${c.role})`).join(", ")}.`,
      node: root,
    };
  },
};
