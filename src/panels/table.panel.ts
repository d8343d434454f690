import { tableColumns } from "../engine/columns.ts";
import { formatCount, formatNumber } from "./style.ts";
import type { PanelKind } from "./types.ts";

function cellText(value: unknown): { text: string; exact?: string } {
  if (typeof value === "number") {
    if (Number.isInteger(value)) return { text: String(value) };
    if (Number.isNaN(value)) return { text: "NaN" };
    return { text: Number(value.toPrecision(6)).toString(), exact: String(value) };
  }
  if (typeof value === "bigint") return { text: value.toString() };
  return { text: String(value) };
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export const panel: PanelKind = {
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
  render(table, options, { query }) {
    const columns = tableColumns(table);
    const shown = Math.min(table.numRows, Number(options.rows));
    const root = element("div", undefined, "tidy-table");
    const grid = element("table");
    const head = element("thead");
    const headRow = element("tr");
    for (const c of columns) {
      const th = element("th");
      th.scope = "col";
      th.append(element("span", c.name), element("small", c.type.replace(/^Dictionary<(\w+), Utf8>$/, "Utf8 ($1 codes)")));
      headRow.append(th);
    }
    head.append(headRow);
    const body = element("tbody");
    const vectors = columns.map((c) => table.getChild(c.name)!);
    for (let r = 0; r < shown; r++) {
      const tr = element("tr");
      vectors.forEach((v, k) => {
        const { text, exact } = cellText(v.get(r));
        const td = element("td", text, columns[k].numeric && columns[k].role === "value" ? "number" : undefined);
        if (exact) td.title = exact;
        tr.append(td);
      });
      body.append(tr);
    }
    grid.append(head, body);
    root.append(grid);
    return {
      name: `Tidy table of ${query}: ${formatCount(table.numRows, "row")}, ${formatCount(columns.length, "column")}`,
      caption: `First ${formatNumber(shown)} of ${formatCount(table.numRows, "row")}. Columns: ${columns.map((c) => `${c.name} (${c.role})`).join(", ")}.`,
      node: root,
    };
  },
};
