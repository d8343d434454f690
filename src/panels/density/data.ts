import { autoBounds, kde, type Density, type KdeBounds } from "../../engine/stats/kde.ts";
import { tableColumns } from "../../engine/columns.ts";
import { splitByLabels } from "../../engine/split.ts";
import { autoBoundsText, formatCount, formatNumber, kdeDescription, MAX_FACETS } from "../style.ts";
import type { PanelData } from "../types.ts";

const POINTS = 256;
/** Beyond this many curves a density panel is a smear that costs seconds: the rest are left out. */
const MAX_CURVES = 120;

export type Layout = "facets" | "ridgeline" | "overlay";

export const BOUND_CHOICES: Record<string, { label: string; bounds: KdeBounds }> = {
  auto: { label: "auto", bounds: {} },
  none: { label: "none", bounds: {} },
  positive: { label: "≥ 0", bounds: { lower: 0 } },
  unit: { label: "0 to 1", bounds: { lower: 0, upper: 1 } },
};

/** One curve: the labels it is split by and its estimate. */
export interface Curve {
  keys: (string | number)[];
  estimate: Density;
}

/** What a density panel draws: its curves, how they are laid out, and the words for its caption. */
export interface DensityData {
  curves: Curve[];
  layout: Layout;
  /** The dimension laid out as facets or ridges ("" for none), and its levels that have curves. */
  split: string;
  levels: (string | number)[];
  color: string;
  colorLabels: (string | number)[];
  by: string[];
  value: string;
  bounds: KdeBounds;
  name: string;
  /** How the curves were estimated, for the caption. */
  estimation: string;
  /** What was left out or changed, and why. */
  notes: string[];
}

/**
 * The layout drawn and the dimension it splits into facets or ridges (the facet dimension; a
 * ridgeline without one stacks the colour dimension), with its levels that have curves. Too many
 * levels to facet, or nothing to stack, fall back to one overlaid plot, with a note saying so.
 */
function arrange(chosen: Layout, facet: string, color: string, groups: { keys: (string | number)[] }[], labels: (string | number)[][], by: string[]) {
  const split = chosen === "ridgeline" ? facet || color : chosen === "facets" ? facet : "";
  if (split === "") {
    const note = chosen === "ridgeline" ? "A ridgeline needs a dimension to stack: choose one to facet by." : undefined;
    return { layout: "overlay" as Layout, split, levels: [], note };
  }
  const k = by.indexOf(split);
  const present = new Set(groups.map((g) => g.keys[k]));
  const levels = labels[k].filter((l) => present.has(l));
  if (chosen === "facets" && levels.length > MAX_FACETS) {
    const note = `${formatNumber(levels.length)} levels of ${split} are too many to facet: overlaid. The ridgeline layout stacks them.`;
    return { layout: "overlay" as Layout, split: "", levels: [], note };
  }
  return { layout: chosen, split, levels, note: undefined };
}

/**
 * The bounds the chosen setting gives these draws, and the words for the caption. A chosen bound
 * that some draws cross is left out (and said so): reflecting at it would be wrong.
 */
function boundsFor(choice: string, samples: Float64Array[], value: string): { bounds: KdeBounds; text: string } {
  if (choice === "auto") {
    const auto = autoBounds(samples, value);
    return { bounds: auto.bounds, text: autoBoundsText(auto) };
  }
  const chosen = BOUND_CHOICES[choice]?.bounds ?? {};
  let min = Infinity;
  let max = -Infinity;
  for (const values of samples) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const bounds: KdeBounds = {};
  const crossed: string[] = [];
  if (chosen.lower !== undefined) {
    if (min >= chosen.lower) bounds.lower = chosen.lower;
    else crossed.push(`some draws of ${value} are below ${chosen.lower}`);
  }
  if (chosen.upper !== undefined) {
    if (max <= chosen.upper) bounds.upper = chosen.upper;
    else crossed.push(`some draws of ${value} are above ${chosen.upper}`);
  }
  const { lower, upper } = bounds;
  const applied =
    lower !== undefined && upper !== undefined
      ? `bounded to [${lower}, ${upper}]`
      : lower !== undefined
        ? `bounded below at ${lower}`
        : upper !== undefined
          ? `bounded above at ${upper}`
          : "not bounded";
  return { bounds, text: crossed.length ? `${applied}: ${crossed.join(" and ")}, so that bound is not used` : applied };
}

/**
 * The columns that split draws into curves: the facet and colour chosen, then every dimension of
 * the value and the group a row came from, so that no curve pools the draws of several parameters
 * (theta[school, year] faceted by school has a curve per year in each facet). Data (no chain and
 * draw: one value per label) is one density over all its rows, split only as chosen.
 */
function curveColumns(table: Parameters<PanelData["data"]>[0], value: string, chosen: readonly string[]): string[] {
  const columns = tableColumns(table);
  const sampled = columns.some((c) => c.role === "sample");
  const elementDims = sampled ? [...(columns.find((c) => c.name === value)?.dims ?? []), ...columns.filter((c) => c.role === "source").map((c) => c.name)] : [];
  return [...new Set([...chosen, ...elementDims])];
}

/**
 * The note for curves that differ in a dimension the figure does not show (neither the colour nor
 * the facets or ridges), so a reader does not take several curves of one colour for one parameter.
 */
function unshownNote(by: readonly string[], shown: readonly string[], groups: { keys: (string | number)[] }[]): string | undefined {
  const unshown = by.filter((d, k) => !shown.includes(d) && new Set(groups.map((g) => g.keys[k])).size > 1);
  if (unshown.length === 0) return undefined;
  return `Curves differing only in ${unshown.join(" and ")} look alike here: colour or facet by ${unshown.length === 1 ? "it" : "them"} to tell them apart, or hover a curve for its labels.`;
}

export const panel: PanelData<DensityData> = {
  data(table, options) {
    const value = String(options.value);
    const facet = String(options.facet);
    const color = String(options.color);
    const adjust = Number(options.adjust);
    const by = curveColumns(
      table,
      value,
      [facet, color].filter((c) => c !== ""),
    );
    const { groups, labels, total } = splitByLabels(table, value, by, MAX_CURVES);
    const notes: string[] = [];
    if (total > groups.length) {
      notes.push(`Showing the first ${formatNumber(groups.length)} of ${formatNumber(total)} curves: facet or colour by another dimension, or narrow the query.`);
    }
    const { layout, split, levels, note } = arrange(String(options.layout) as Layout, facet, color, groups, labels, by);
    if (note) notes.push(note);
    const unshown = unshownNote(
      by,
      [color, split].filter((d) => d !== ""),
      groups,
    );
    if (unshown) notes.push(unshown);
    const { bounds, text: boundsText } = boundsFor(
      String(options.bounds),
      groups.map((g) => g.values),
      value,
    );
    const curves = groups.map((g) => ({ keys: g.keys, estimate: kde(g.values, { points: POINTS, adjust, ...bounds }) }));
    const arranged = split === "" ? "" : layout === "ridgeline" ? ` in ${formatCount(levels.length, "ridge")}` : ` in ${formatCount(levels.length, "facet")}`;
    return {
      curves,
      layout,
      split,
      levels,
      color,
      colorLabels: color ? labels[by.indexOf(color)] : [],
      by,
      value,
      bounds,
      name: `Density of ${value}${by.length ? ` by ${by.join(" and ")}` : ""}: ${formatCount(curves.length, "curve")}${arranged}`,
      estimation: kdeDescription(
        curves.map((c) => c.estimate.bandwidth),
        adjust,
        boundsText,
      ),
      notes,
    };
  },
};
