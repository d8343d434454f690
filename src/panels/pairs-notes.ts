/** Caption sentences the pair and matrix layouts share. */
import type { Table } from "apache-arrow";
import { BANDWIDTH_RULE_2D } from "../engine/stats/density2d.ts";
import type { Divergences, RowSample } from "./pairs-data.ts";
import { CONTOUR_SHARES, MAX_LEGEND, type ColourEncoding, type ContourSet } from "./pairs-layers.ts";
import { formatCount, formatNumber } from "./style.ts";

const ordinal = (n: number) => `${formatNumber(n)}${n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th"}`;

/** What the caption says about divergences, given the option and what the table has. */
export function divergenceNote(show: boolean, flagged: Divergences | undefined): string {
  if (!show) return "";
  if (!flagged) return "Add sample_stats/diverging to the query to mark divergent draws.";
  if (flagged.draws === 0) return "No divergent draws.";
  const points = flagged.rows.length === flagged.draws ? "" : ` (${formatCount(flagged.rows.length, "point")})`;
  return `${formatCount(flagged.draws, "divergent draw")}${points} drawn on top in magenta.`;
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

/** Says so when only every k-th row is drawn. */
export function samplingNote(table: Table, sample: RowSample): string {
  return sample.stride > 1 ? `Every ${ordinal(sample.stride)} of ${formatCount(table.numRows, "row")} drawn.` : "";
}

/** Rows whose x and y are both finite: the points a figure can place. */
export function countFinite(x: Float64Array, y: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) n++;
  return n;
}

/** ", coloured by …" for a caption: says when a colour scale is continuous, or has too many levels for a legend. */
export function colourNote(colour: ColourEncoding): string {
  if (colour.kind === "none") return "";
  if (colour.kind === "continuous") return `, coloured by ${colour.column} (continuous)`;
  const levels = colour.labels.length;
  return `, coloured by ${colour.column}${levels > MAX_LEGEND ? ` (${formatNumber(levels)} levels, too many for a legend)` : ""}`;
}
