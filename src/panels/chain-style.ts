/** Chain colours and the legend the diagnostic panels share. */
import * as Plot from "@observablehq/plot";
import { DIVERGENT_COLOUR } from "./style.ts";

/**
 * One colour per chain label, from Plot's categorical scheme over all of a table's chains, so a
 * chain keeps its colour when others are hidden.
 */
export function chainColours(chains: readonly string[]): Map<string, string> {
  const scale = Plot.scale({ color: { type: "categorical", domain: [...chains] } });
  return new Map(chains.map((c) => [c, String(scale.apply(c))]));
}

/** Plot's colour scale for chain labels, matching `chainColours`. */
export function chainScale(chains: readonly string[], shown: readonly string[] = chains): Plot.ScaleOptions {
  const colours = chainColours(chains);
  return { type: "categorical", domain: [...shown], range: shown.map((c) => colours.get(c)!) };
}

function swatch(colour: string, text: string, round: boolean): HTMLElement {
  const item = document.createElement("span");
  item.style.cssText = "display:inline-flex;align-items:center;gap:4px";
  const mark = document.createElement("span");
  mark.style.cssText = round ? `display:inline-block;width:10px;height:10px;border-radius:50%;background:${colour}` : `display:inline-block;width:14px;height:3px;background:${colour}`;
  item.append(mark, text);
  return item;
}

export interface LegendEntry {
  colour: string;
  text: string;
  /** A dot rather than a line segment (for divergences). */
  dot?: boolean;
}

/** A row of swatches under a bold title. */
export function legendRow(title: string, entries: readonly LegendEntry[], className = "chain-legend"): HTMLElement {
  const row = document.createElement("div");
  row.className = className;
  row.style.cssText = "display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px;font-size:12px;min-height:20px";
  const heading = document.createElement("span");
  heading.textContent = title;
  heading.style.fontWeight = "bold";
  row.append(heading, ...entries.map((e) => swatch(e.colour, e.text, e.dot ?? false)));
  return row;
}

/** The chain legend: each shown chain in its colour, then any extra entries. */
export function chainLegend(chains: readonly string[], shown: readonly string[], extra: readonly LegendEntry[] = []): HTMLElement {
  const colours = chainColours(chains);
  return legendRow("chain", [...shown.map((c) => ({ colour: colours.get(c)!, text: c })), ...extra]);
}

/** The legend entry for divergent draws. */
export const divergentEntry = (text: string): LegendEntry => ({ colour: DIVERGENT_COLOUR, text, dot: true });
