/** Caption sentences the pair and matrix layouts share. */
import { BANDWIDTH_RULE_2D } from "../../engine/stats/density2d.ts";
import { formatCount, formatNumber } from "../style.ts";
import { MAX_LEGEND, type ColourData } from "./colour.ts";
import { CONTOUR_SHARES, type ContourSet } from "./contours.ts";
import type { Flagged, Sampled } from "./data.ts";

/** What the caption says about divergences, given the option and what the table has. */
export function divergenceNote(show: boolean, flagged: Flagged | undefined): string {
  if (!show) return "";
  if (!flagged) return "Add sample_stats/diverging to the query to mark divergent draws.";
  if (flagged.draws === 0) return "No divergent draws.";
  const points = flagged.count === flagged.draws ? "" : ` (${formatCount(flagged.count, "point")})`;
  const sampled = flagged.drawn < flagged.count ? ` An even sample of ${formatNumber(flagged.drawn)} of their ${formatCount(flagged.count, "point")} is drawn.` : "";
  return `${formatCount(flagged.draws, "divergent draw")}${points} drawn on top in magenta.${sampled}`;
}

/** Which mass shares the contours enclose, and (for one pair of columns) the bandwidths used. */
export function contourNote(sets: readonly ContourSet[], grouped: boolean, bandwidths: boolean): string {
  if (sets.length === 0) return "";
  const shares = CONTOUR_SHARES.map((s) => `${Math.round(s * 100)}%`);
  const range = (v: number[]) => {
    const [low, high] = [Math.min(...v).toPrecision(3), Math.max(...v).toPrecision(3)];
    return low === high ? low : `${low}–${high}`;
  };
  const used = bandwidths ? `; bandwidths ${range(sets.map((s) => s.bandwidth[0]))} in x, ${range(sets.map((s) => s.bandwidth[1]))} in y` : "";
  return `Contours enclose ${shares.slice(0, -1).join(", ")} and ${shares.at(-1)} of ${grouped ? "each group's" : "the"} 2-D Gaussian KDE (${BANDWIDTH_RULE_2D}${used}).`;
}

/** Says so when only a sample of the rows is drawn. */
export function samplingNote(sample: Sampled): string {
  return sample.count < sample.total ? `An even sample of ${formatNumber(sample.count)} of the ${formatCount(sample.total, "row")} drawn.` : "";
}

/** True when the points are split into a few colour groups, each with its own contours or density. */
export function isGrouped(colour: ColourData): boolean {
  return colour.kind === "categorical" && colour.labels.length > 1 && colour.labels.length <= MAX_LEGEND;
}

/** ", coloured by …" for a caption: says when a colour scale is continuous, or has too many levels for a legend. */
export function colourNote(colour: ColourData): string {
  if (colour.kind === "none") return "";
  if (colour.kind === "continuous") return `, coloured by ${colour.column} (continuous)`;
  const levels = colour.labels.length;
  return `, coloured by ${colour.column}${levels > MAX_LEGEND ? ` (${formatNumber(levels)} levels, too many for a legend)` : ""}`;
}
