// A trace's structure as described: its groups, variables and dimensions. Apart from tree.ts,
// which reads it, so that the page can use these without bundling the readers and their codecs.

/** A variable of a group, as the sidebar and the spec resolver see it. */
export interface VariableInfo {
  group: string;
  name: string;
  dims: string[];
  shape: number[];
  /** `float64`, `float32`, `int64`, `int32`, ..., `bool`, or `string`. */
  dtype: string;
  attrs: Record<string, unknown>;
  /** The sample dimensions (`chain`, `draw`) among `dims`, in their order there. */
  sampleDims: string[];
}

/** The dimensions a variable varies over besides the sample dims: what a spec's brackets name. */
export function ownDims(variable: VariableInfo): string[] {
  return variable.dims.filter((d) => !variable.sampleDims.includes(d));
}

/** A dimension of a group with its labels (the coordinate's values, or 0..n-1 without one). */
export interface DimInfo {
  name: string;
  size: number;
  labels: readonly string[] | readonly number[];
  /** False when the group has no coordinate array for the dimension. */
  hasCoordinate: boolean;
}

export interface GroupInfo {
  name: string;
  attrs: Record<string, unknown>;
  sampleDims: string[];
  variables: VariableInfo[];
  dims: DimInfo[];
}

export interface TraceTree {
  label: string;
  /** What the trace was read from when it is not a Zarr store (see TraceStore.origin). */
  origin?: string;
  zarrFormat: 2 | 3;
  consolidated: boolean;
  groups: GroupInfo[];
}

/** ArviZ's group names: where to look when a store has neither consolidated metadata nor a listing. */
export const ARVIZ_GROUPS = [
  "posterior",
  "posterior_predictive",
  "predictions",
  "log_likelihood",
  "log_prior",
  "sample_stats",
  "observed_data",
  "constant_data",
  "predictions_constant_data",
  "prior",
  "prior_predictive",
  "sample_stats_prior",
  "unconstrained_posterior",
  "unconstrained_prior",
  "warmup_posterior",
  "warmup_posterior_predictive",
  "warmup_predictions",
  "warmup_sample_stats",
  "warmup_log_likelihood",
];

/** ArviZ's groups of sampler statistics (sample_stats, warmup_sample_stats, sample_stats_prior): not model quantities. */
export const isSamplerGroup = (name: string): boolean => /(^|_)sample_stats(_|$)/.test(name);
