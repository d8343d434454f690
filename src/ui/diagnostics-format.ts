import type { DiagnosticName } from "../engine/stats/diagnostics.ts";
import { FLAG_ESS_BULK, FLAG_ESS_TAIL, FLAG_RHAT, type Thresholds } from "./diagnostics-view.ts";

/** A number column of the diagnostics table: its heading, and what it means (the heading's tooltip). */
export interface StatColumn {
  key: DiagnosticName;
  label: string;
  title: string;
  /** The flag bit this column raises, if it is one the thresholds check. */
  flag?: number;
}

export const STAT_COLUMNS: readonly StatColumn[] = [
  { key: "mean", label: "mean", title: "Posterior mean" },
  { key: "sd", label: "sd", title: "Posterior standard deviation" },
  { key: "median", label: "median", title: "Posterior median" },
  { key: "mad", label: "mad", title: "Median absolute deviation (scaled as R's mad)" },
  { key: "q5", label: "q5", title: "5% quantile" },
  { key: "q95", label: "q95", title: "95% quantile" },
  { key: "rhat", label: "R-hat", title: "Rank-normalised split R-hat (1 when the chains agree)", flag: FLAG_RHAT },
  { key: "ess_bulk", label: "ESS bulk", title: "Effective sample size of the bulk (rank-normalised)", flag: FLAG_ESS_BULK },
  { key: "ess_tail", label: "ESS tail", title: "Effective sample size of the 5% and 95% tails", flag: FLAG_ESS_TAIL },
  { key: "mcse_mean", label: "MCSE mean", title: "Monte Carlo standard error of the mean" },
  { key: "mcse_sd", label: "MCSE sd", title: "Monte Carlo standard error of the standard deviation" },
];

const integers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Four significant digits in fixed notation, or in exponent notation for very large or small numbers. */
function significant(value: number): string {
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= 6 || exponent < -4) return value.toExponential(3).replace("e+", "e");
  return value.toFixed(Math.max(0, 3 - exponent));
}

/** A diagnostic as the table shows it: R-hat to 3 decimals, ESS as a whole number, the rest to 4 significant digits; NaN is R's NA. */
export function formatStat(key: DiagnosticName, value: number): string {
  if (Number.isNaN(value)) return "NA";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (key === "rhat") return value.toFixed(3);
  if (key === "ess_bulk" || key === "ess_tail") return integers.format(value);
  return significant(value);
}

/** Why a cell is flagged, in words (its tooltip), or undefined when it is not. */
export function flagReason(column: StatColumn, value: number, thresholds: Thresholds): string | undefined {
  if (column.flag === FLAG_RHAT && value > thresholds.rhat) {
    return `R-hat ${formatStat("rhat", value)} is above ${thresholds.rhat}: the chains have not mixed, so these draws are not yet trustworthy`;
  }
  if ((column.flag === FLAG_ESS_BULK || column.flag === FLAG_ESS_TAIL) && value < thresholds.ess) {
    return `${column.label} ${formatStat(column.key, value)} is below ${thresholds.ess}: too few effective draws for reliable ${column.flag === FLAG_ESS_BULK ? "means and medians" : "tail quantiles and intervals"}`;
  }
  return undefined;
}
