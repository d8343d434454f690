import { contourLines, density2d, massThresholds } from "../../engine/stats/density2d.ts";
import { colourGroups, gather, type ColourData } from "./colour.ts";

/** Shares of the estimated mass the contours enclose, densest first. */
export const CONTOUR_SHARES = [0.5, 0.8, 0.95] as const;

/**
 * Contour lines of one group's 2-D density, one set per mass share. The grid has a fixed
 * resolution (density2d's 128 points a side), so the lines are bounded whatever the draws.
 */
export interface ContourSet {
  /** The colour level the group is (drawn in its colour), or none for all points (drawn in the text colour). */
  level?: number;
  levels: { share: number; lines: { x: Float64Array; y: Float64Array }[] }[];
  bandwidth: [number, number];
}

/**
 * Contours of the points' 2-D density: one set per colour level when there are a few levels (so
 * each group's shape shows), else one set over all points.
 */
export function contourSets(x: Float64Array, y: Float64Array, colour: ColourData): ContourSet[] {
  return colourGroups(colour).flatMap(({ level, rows }) => {
    const grid = density2d(gather(x, rows), gather(y, rows));
    if (grid.n < 3) return [];
    const thresholds = massThresholds(grid, CONTOUR_SHARES);
    const levels = CONTOUR_SHARES.map((share, k) => ({ share, lines: contourLines(grid, thresholds[k]) }));
    return [{ level, bandwidth: [grid.bandwidthX, grid.bandwidthY] as [number, number], levels }];
  });
}
