import type { Table } from "apache-arrow";

const PREVIEW_ROWS = 20;

function cell(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  return value == null ? "" : String(value);
}

/** The first rows of a tidy table, its row count, and its columns with their types. */
export function TablePreview({ table, query }: { table: Table; query: string }) {
  const fields = table.schema.fields;
  const rows = Array.from({ length: Math.min(PREVIEW_ROWS, table.numRows) }, (_, i) => table.get(i)!.toJSON() as Record<string, unknown>);
  return (
    <figure aria-label={`Tidy table of ${query}`} className="preview">
      <figcaption>
        <strong>{table.numRows.toLocaleString("en")}</strong> rows · {fields.map((f) => `${f.name}: ${f.type}`).join(" · ")}
      </figcaption>
      <table>
        <thead>
          <tr>
            {fields.map((f) => (
              <th key={f.name} scope="col">
                {f.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {fields.map((f) => (
                <td key={f.name}>{cell(row[f.name])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
