import { BANDWIDTH_RULE, type AutoBounds } from "../engine/stats/kde.ts";

/** Plot settings every panel shares: follow the page's colours and font (light or dark). */
export const plotStyle = {
  style: { background: "transparent", color: "inherit", fontSize: "12px", fontFamily: "inherit" },
} as const;

// The engine's messages and the panels count alike.
export { formatCount, formatNumber } from "../engine/units.ts";

/** How a panel's density curves were estimated, for its caption: bandwidths, factor, rule and bounds. */
export function kdeDescription(bandwidths: readonly number[], adjust: number, bounds: string): string {
  const finite = bandwidths.filter(Number.isFinite);
  const bw =
    finite.length === 0 ? "no finite draws" : finite.length === 1 ? `bandwidth ${finite[0].toPrecision(3)}` : `bandwidths ${Math.min(...finite).toPrecision(3)}–${Math.max(...finite).toPrecision(3)}`;
  return `Gaussian KDE, ${bw}${adjust !== 1 ? ` (× ${adjust})` : ""}; ${BANDWIDTH_RULE}; ${bounds}.`;
}

/** What automatic bounds decided, in words: "bounded below at 0: every draw of sigma is ≥ 0". */
export function autoBoundsText({ bounds, reason }: AutoBounds): string {
  return `${bounds.lower === 0 ? "bounded below at 0" : "not bounded"}: ${reason}`;
}

/** More facets than this would be rows a few pixels high: a panel overlays or leaves out the rest. */
export const MAX_FACETS = 24;

/** The colour of divergent draws in every panel: it stands out from both the categorical palette and viridis. */
export const DIVERGENT_COLOUR = "#e6007e";
