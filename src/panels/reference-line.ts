import * as Plot from "@observablehq/plot";

/** A dashed vertical line at the reference value a user set (named for readers and on hover), or nothing. */
export function referenceMark(reference: number | undefined): Plot.Markish {
  if (reference === undefined) return null;
  const label = `reference line at ${reference}`;
  return Plot.ruleX([reference], { stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "5 3", ariaDescription: "reference line", ariaLabel: () => label, title: () => label });
}
