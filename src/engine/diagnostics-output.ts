import type { Table } from "apache-arrow";
import { escapeCsv, formatFloat64 } from "./csv.ts";
import type { DiagnosedBlock } from "./diagnose.ts";
import type { Label } from "./domain.ts";
import { elementSpec } from "./spec-text.ts";
import { DIAGNOSTIC_NAMES } from "./stats/diagnostics.ts";
import { buildTable, float64Data, int32Data, labelData } from "./table-build.ts";

const WIDTH = DIAGNOSTIC_NAMES.length;

/** How an element is shown: `theta[Choate, 2019]`, or `sigma` for a scalar. */
export function elementName(variable: string, labels: readonly Label[]): string {
  return labels.length ? `${variable}[${labels.join(", ")}]` : variable;
}

const labelsAt = (block: DiagnosedBlock, i: number) => block.labels.map((l) => l[i]);

/**
 * A block as rows of the diagnostics table: `index` (the element's position in the scope),
 * `group`, `variable`, `element`, `spec`, then one column per diagnostic. With several models,
 * `model` names the block's in each element (`centered: theta[Choate]`).
 */
export function diagnosticsTable(block: DiagnosedBlock, model?: string): Table {
  const { count, stats, target } = block;
  const { group, name } = target.variable;
  const zeros = new Int32Array(count);
  const prefix = model === undefined ? "" : `${model}: `;
  const names = Array.from({ length: count }, (_, i) => prefix + elementName(name, labelsAt(block, i)));
  // An expression's element is queried as the expression (its name is no variable of the trace).
  const specs = Array.from({ length: count }, (_, i) => target.derived ?? elementSpec(name, target.dims, labelsAt(block, i)));
  const rows = Int32Array.from({ length: count }, (_, i) => i);
  return buildTable([
    { name: "index", role: "dim", data: int32Data(Int32Array.from({ length: count }, (_, i) => block.index + i)) },
    { name: "group", role: "dim", data: labelData([group], zeros) },
    { name: "variable", role: "dim", data: labelData([name], zeros) },
    { name: "element", role: "dim", data: labelData(names, rows) },
    { name: "spec", role: "dim", data: labelData(specs, rows) },
    ...DIAGNOSTIC_NAMES.map((stat, j) => ({
      name: stat,
      role: "value" as const,
      data: float64Data(Float64Array.from({ length: count }, (_, i) => stats[i * WIDTH + j])),
    })),
  ]);
}

/** R's way of writing a missing value, so the CSV reads like `summarise_draws` output. */
const formatStat = (v: number) => (Number.isNaN(v) ? "NA" : formatFloat64(v));

/** The CSV header: `variable`, every dimension in `dims`, then the diagnostics. */
export function diagnosticsCsvHeader(dims: readonly string[]): string {
  return ["variable", ...dims, ...DIAGNOSTIC_NAMES].map(escapeCsv).join(",");
}

/** A block's CSV lines; dimensions the variable does not have are left empty. */
export function diagnosticsCsvLines(block: DiagnosedBlock, dims: readonly string[]): string[] {
  const own = block.target.dims;
  return Array.from({ length: block.count }, (_, i) => {
    const labels = dims.map((d) => {
      const k = own.indexOf(d);
      return k < 0 ? "" : escapeCsv(String(block.labels[k][i]));
    });
    const values = Array.from(block.stats.subarray(i * WIDTH, (i + 1) * WIDTH), formatStat);
    return [escapeCsv(block.target.variable.name), ...labels, ...values].join(",");
  });
}
