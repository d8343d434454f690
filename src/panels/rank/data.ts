import { chainDraws, drawsPhrase, elementColumns, elementLabel } from "../chain-draws.ts";
import { formatCount, formatNumber } from "../style.ts";
import type { PanelData } from "../types.ts";
import { cachedEcdfBand, chainRanks, ecdfDifference, ecdfPoints, insideBand, rankHistogram, type ChainRanks, type EcdfBand } from "./ranks.ts";

/** As many facets as the trace panel shows, so the two line up. */
export const MAX_RANK_FACETS = 12;

/** One element's rank histograms: per chain, its ranks' counts in each bin, and its number of ranks. */
export interface RankBars {
  label: string;
  chains: string[];
  counts: Int32Array[];
  ranks: number[];
  /** Finite draws ranked over all chains: the bins split 0…total. */
  total: number;
}

/** One element's ECDF differences per chain, at `points` + 1 fractional ranks, and its band. */
export interface RankEcdf {
  label: string;
  chains: string[];
  differences: Float64Array[];
  points: number;
  /** Index of the element's band in `bands`, or -1 when it has none. */
  band: number;
}

/** A simultaneous band as drawn: the differences' lower and upper limits at fractional ranks z. */
export interface BandCurve {
  z: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

export type RankView = { style: "bars"; bins: number; elements: RankBars[] } | { style: "ecdf"; elements: RankEcdf[]; bands: BandCurve[] };

/** What a rank panel draws, with its name and the caption's sentences. */
export interface RankData {
  name: string;
  notes: string[];
  /** Every chain label of the table (colours are assigned over these), and the chains of any element. */
  chains: string[];
  shown: string[];
  view: RankView;
}

interface RankedElement {
  label: string;
  ranked: ChainRanks;
}

/** A band needs two or more equally long chains (missing draws make lengths differ). */
function elementBand({ ranked }: RankedElement): { points: number; band?: EcdfBand } {
  const lengths = new Set(ranked.ranks.map((r) => r.length));
  const shortest = Math.min(...lengths);
  const points = ecdfPoints(shortest);
  const band = lengths.size === 1 && ranked.chains.length > 1 && shortest > 0 ? cachedEcdfBand(ranked.chains.length, shortest, points) : undefined;
  return { points, band };
}

/** The ECDF view, and the caption's sentences about its bands: how they were made (per shape of chains), and who leaves them. */
function ecdfView(elements: readonly RankedElement[]): { view: RankView; notes: string[] } {
  const bands: EcdfBand[] = [];
  const outside: string[] = [];
  const ecdfs = elements.map((element): RankEcdf => {
    const { label, ranked } = element;
    const { points, band } = elementBand(element);
    if (band && !bands.includes(band)) bands.push(band);
    const leaving = band ? ranked.chains.filter((_, c) => !insideBand(ranked.ranks[c], ranked.total, band)) : [];
    if (leaving.length) outside.push(`${label} (chain${leaving.length > 1 ? "s" : ""} ${leaving.join(", ")})`);
    return { label, chains: ranked.chains, differences: ranked.ranks.map((r) => ecdfDifference(r, ranked.total, points)), points, band: band ? bands.indexOf(band) : -1 };
  });
  const view: RankView = { style: "ecdf", elements: ecdfs, bands: bands.map(({ z, lower, upper }) => ({ z, lower, upper })) };
  const points = ecdfs[0]?.points ?? 0;
  const notes = [`Per chain, the ECDF of its fractional ranks (rank / draws pooled) minus the uniform CDF, at ${formatNumber(points + 1)} points.`];
  if (bands.length === 0) return { view, notes: [...notes, "No band: it needs two or more chains with the same number of finite draws."] };
  const { level, simulations, seed } = bands[0];
  const shapes = bands.map((b) => `${formatCount(b.chains, "chain")} × ${formatCount(b.draws, "draw")}, γ = ${b.gamma.toPrecision(3)}`).join("; ");
  notes.push(
    `Grey: the ${Math.round(level * 100)}% simultaneous band (Säilynoja, Bürkner & Vehtari 2022), adjusted by simulation: ` +
      `${formatNumber(simulations)} random splits of the pooled ranks (seed ${seed}) set the pointwise hypergeometric level γ (${shapes}).`,
    ecdfs.some((e) => e.band < 0) ? "Elements with one chain, or chains of different lengths, have no band." : "",
    outside.length ? `Outside the band: ${outside.join("; ")}.` : "Every chain stays inside the band.",
  );
  return { view, notes };
}

/** The histogram view: per element and chain, its ranks' counts in `bins` bins. */
function barsView(elements: readonly RankedElement[], bins: number): RankView {
  return {
    style: "bars",
    bins,
    elements: elements.map(({ label, ranked }) => ({
      label,
      chains: ranked.chains,
      counts: ranked.ranks.map((r) => rankHistogram(r, ranked.total, bins)),
      ranks: ranked.ranks.map((r) => r.length),
      total: ranked.total,
    })),
  };
}

export const panel: PanelData<RankData> = {
  data(table, options) {
    const value = String(options.value);
    const by = elementColumns(table, value);
    const data = chainDraws(table, value, by, { limit: MAX_RANK_FACETS });
    const elements = data.elements.map((element) => ({ label: elementLabel(value, element.keys, by), ranked: chainRanks(element) }));
    const series = data.elements[0]?.series ?? [];
    // Chains of any element (stacked groups may differ: a prior with one chain), in chain order.
    const shown = data.chains.filter((c) => data.elements.some((e) => e.series.some((s) => s.chain === c)));
    const draws = series.length ? drawsPhrase(series) : "no draws";
    const facetText = elements.length > 1 ? ` in ${formatCount(elements.length, "facet")}` : "";
    const notes = [
      "Draws of all chains ranked together (ties get their average rank), per element.",
      data.total > elements.length ? `Showing the first ${formatNumber(elements.length)} of ${formatNumber(data.total)} elements of ${value}: narrow the query to see others.` : "",
    ];
    const base = { chains: data.chains, shown };

    if (options.style === "ecdf") {
      const { view, notes: bandNotes } = ecdfView(elements);
      return { ...base, name: `Rank ECDF differences of ${value}: ${draws}${facetText}`, notes: [...notes, ...bandNotes].filter((n) => n), view };
    }

    const bins = Math.round(Number(options.bins));
    const perBin = series.length ? series[0].values.length / bins : 0;
    notes.push(
      `Per chain, a histogram of its ranks in ${formatNumber(bins)} bins; the dashed line is the count each bin expects when the chains mix well ` +
        `(draws / bins${Number.isInteger(perBin) ? ` = ${formatNumber(perBin)}` : ""}).`,
    );
    return { ...base, name: `Rank plot of ${value}: ${draws}${facetText}, ${formatNumber(bins)} bins`, notes: notes.filter((n) => n), view: barsView(elements, bins) };
  },
};
