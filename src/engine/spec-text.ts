import type { Label } from "./domain.ts";
import { DIM_CHAR } from "./spec.ts";
import { ownDims, type VariableInfo } from "./trace-tree.ts";

// Specs as text, as the grammar of spec.ts reads them back: what the trace browser inserts,
// completion offers, a diagnostics row opens and an error suggests.

/** A variable's spec as the query bar takes it: `[group/]name[dims]`, the group left out when it is the default. */
export function specOf(variable: VariableInfo, defaultGroup: string): string {
  const dims = ownDims(variable);
  const prefix = variable.group === defaultGroup ? "" : `${variable.group}/`;
  return `${prefix}${variable.name}${dims.length ? `[${dims.join(", ")}]` : ""}`;
}

/** A label as a spec takes it: bare when it can be, else quoted. */
function specLabel(label: Label): string {
  const text = String(label);
  return text !== "" && [...text].every((c) => DIM_CHAR.test(c)) ? text : `"${text}"`;
}

/** The spec that reads some labels of each dimension: `theta[school=Choate|Deerfield, year=2019]`. */
export function selectionSpec(variable: string, dims: readonly string[], labels: readonly (readonly Label[])[]): string {
  return dims.length ? `${variable}[${dims.map((d, k) => `${d}=${labels[k].map(specLabel).join("|")}`).join(", ")}]` : variable;
}

/** The spec that reads just this element: `theta[school=Choate, year=2019]`. */
export function elementSpec(variable: string, dims: readonly string[], labels: readonly Label[]): string {
  return selectionSpec(
    variable,
    dims,
    labels.map((l) => [l]),
  );
}
