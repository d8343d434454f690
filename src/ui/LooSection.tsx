import { useEffect, useId, useMemo, useRef, useState } from "react";
import { kCategories, observationName, paretoKCaption, renderParetoK } from "../panels/loo/k-plot.ts";
import { formatCount, formatNumber } from "../panels/style.ts";
import type { LooState } from "../state/loo-slice.ts";
import type { LooResults, LooSummary } from "../worker/protocol.ts";
import { useActions, useApp } from "./context.ts";
import "./section-frame.css";
import "./LooSection.css";

const LOG_LIKELIHOOD = "log_likelihood";

/** Shows or hides the PSIS-LOO section; only a trace with a log_likelihood group has one. */
export function LooButton() {
  const shown = useApp((s) => s.view.loo !== undefined);
  const hasLogLik = useApp((s) => s.trace?.tree.groups.some((g) => g.name === LOG_LIKELIHOOD) ?? false);
  const { showLoo, hideLoo } = useActions();
  return (
    <button
      type="button"
      aria-pressed={shown}
      disabled={!hasLogLik}
      title={hasLogLik ? "PSIS-LOO (as R's loo): elpd_loo, p_loo, looic and the Pareto k of every observation" : "PSIS-LOO needs a log_likelihood group, which this trace has not"}
      onClick={() => (shown ? hideLoo() : showLoo())}
    >
      LOO
    </button>
  );
}

/** A number as loo prints its estimates: one decimal for sums, more for small ones. */
const estimate = (value: number) => (Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

function Estimates({ result }: { result: LooSummary }) {
  const rows = [
    ["elpd_loo", result.elpd_loo],
    ["p_loo", result.p_loo],
    ["looic", result.looic],
  ] as const;
  return (
    <table className="loo-estimates" aria-label="PSIS-LOO estimates">
      <thead>
        <tr>
          <th scope="col"></th>
          <th scope="col">Estimate</th>
          <th scope="col">SE</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td title={String(value.estimate)}>{estimate(value.estimate)}</td>
            <td title={String(value.se)}>{estimate(value.se)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A comparison cell as loo prints it: one decimal, two below 1 (so a small difference is not "-0.0"). */
const cell = (value: number, digits = Math.abs(value) < 1 ? 2 : 1) => (Number.isNaN(value) ? "" : value.toFixed(digits));

/** loo_compare's table: the models ranked by elpd_loo, each against the reference, with p_worse and loo's warnings. */
function Comparison({ results, reference }: { results: LooResults; reference?: string }) {
  const { setLooView } = useActions();
  const rows = results.compare ?? [];
  const against = reference ?? rows[0]?.name;
  return (
    <div className="loo-compare">
      <label>
        Against
        <select value={reference ?? ""} onChange={(e) => setLooView({ reference: e.target.value || undefined })}>
          <option value="">the best ({rows[0]?.name})</option>
          {results.models.map((m) => (
            <option key={m.model} value={m.model}>
              {m.model}
            </option>
          ))}
        </select>
      </label>
      <table className="loo-estimates" aria-label="Model comparison">
        <thead>
          <tr>
            {["rank", "model", "elpd_loo", "SE", "p_loo", "elpd_diff", "se_diff", "p_worse", "diagnostics"].map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} aria-current={row.name === against ? "true" : undefined}>
              <td>{row.rank}</td>
              <th scope="row">{row.name}</th>
              <td title={String(row.elpd_loo)}>{cell(row.elpd_loo)}</td>
              <td title={String(row.se_elpd_loo)}>{cell(row.se_elpd_loo)}</td>
              <td title={String(row.p_loo)}>{cell(row.p_loo)}</td>
              <td title={String(row.elpd_diff)}>{cell(row.elpd_diff)}</td>
              <td title={String(row.se_diff)}>{cell(row.se_diff)}</td>
              <td title={String(row.p_worse)}>{cell(row.p_worse, 2)}</td>
              <td className="loo-diag">{[row.diag_diff, row.diag_elpd].filter(Boolean).join("; ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted loo-compare-note">
        As R's loo_compare: elpd_diff and se_diff are against {against}; p_worse is the normal approximation's probability that a model predicts worse than it. "N &lt; 100" and "|elpd_diff| &lt; 4"
        say that approximation is poor (few observations, or similar predictions); "K k_psis &gt; t" counts a model's unreliable observations.
      </p>
    </div>
  );
}

function ParetoKFigure({ result, model }: { result: LooSummary; model: number }) {
  const host = useRef<HTMLDivElement>(null);
  const { inspectObservation } = useActions();
  const [picked, setPicked] = useState<number>();
  useEffect(() => {
    const node = host.current;
    if (!node) return;
    const width = Math.max(320, node.clientWidth);
    const figure = renderParetoK(
      result,
      width,
      (index) => {
        setPicked(index);
        void inspectObservation(index, model);
      },
      picked,
    );
    node.replaceChildren(figure);
    return () => node.replaceChildren();
  }, [result, inspectObservation, picked, model]);
  const captionId = useId();
  const k = result.pointwise;
  return (
    <figure className="loo-k" aria-label={`Pareto k of ${formatCount(k.pareto_k.length, "observation")}`} aria-describedby={captionId}>
      <div ref={host} className="loo-k-plot" />
      <figcaption id={captionId} className="muted">
        {paretoKCaption(result)}
      </figcaption>
      {picked !== undefined && picked < k.pareto_k.length && (
        <p className="loo-picked" role="status">
          {observationName(result, picked)}: k = {Number.isFinite(k.pareto_k[picked]) ? k.pareto_k[picked].toFixed(3) : "Inf"}, elpd_loo = {k.elpd_loo[picked].toFixed(3)}, p_loo ={" "}
          {k.p_loo[picked].toFixed(3)}, n_eff = {formatNumber(Math.round(k.n_eff[picked]))}, r_eff = {k.r_eff[picked].toFixed(3)}
        </p>
      )}
    </figure>
  );
}

function LooStatus({ state }: { state: LooState }) {
  const { cancelLoo } = useActions();
  if (state.running) {
    return (
      <div className="diag-progress">
        <progress aria-label="PSIS-LOO computed" max={state.total || 1} value={state.done} />
        <span>{state.total ? `${formatNumber(state.done)} of ${formatCount(state.total, "observation")}` : "starting"}</span>
        <button type="button" onClick={cancelLoo}>
          Cancel
        </button>
      </div>
    );
  }
  if (state.error?.tag === "cancelled") {
    return (
      <p className="diag-stopped" role="status">
        Stopped after {formatNumber(state.done)} of {formatCount(state.total, "observation")}: {state.error.message}.
      </p>
    );
  }
  if (state.error) {
    return (
      <p className="error" role="alert">
        PSIS-LOO could not be computed: {state.error.message}
      </p>
    );
  }
  return null;
}

/** The PSIS-LOO section: the log-likelihood variable and r_eff, the estimates, and the Pareto k of every observation. */
export function LooSection() {
  const view = useApp((s) => s.view.loo);
  const state = useApp((s) => s.loo);
  const group = useApp((s) => s.trace?.tree.groups.find((g) => g.name === LOG_LIKELIHOOD));
  const variables = group?.variables.filter((v) => v.sampleDims.includes("draw")).map((v) => v.name) ?? [];
  const { hideLoo, setLooView } = useActions();
  const headingId = useId();
  const [shownModel, setShownModel] = useState(0);
  const results = state?.results;
  const model = results && shownModel < results.models.length ? shownModel : 0;
  const result = results?.models[model];
  const several = (results?.models.length ?? 0) > 1;
  const flagged = useMemo(() => (result ? kCategories(result.pointwise.pareto_k, result.kThreshold).reduce((n, c) => n + (c > 0 ? 1 : 0), 0) : 0), [result]);
  if (!view) return null;
  return (
    <section className="diagnostics loo" aria-labelledby={headingId}>
      <header className="diag-header">
        <h2 id={headingId}>PSIS-LOO</h2>
        <span className="muted diag-label">
          {result
            ? `${result.variable}: ${formatCount(result.pointwise.elpd_loo.length, "observation")}, ${formatCount(result.draws, "draw")} in ${formatCount(result.chains, "chain")}${several ? `; ${results!.models.length} models` : ""}`
            : "log_likelihood"}
        </span>
        <button type="button" className="diag-close" aria-label="Close PSIS-LOO" title="Close" onClick={hideLoo}>
          ✕
        </button>
      </header>
      <div className="diag-controls">
        {variables.length > 1 && (
          <label>
            Variable
            <select value={view.variable ?? ""} onChange={(e) => setLooView({ variable: e.target.value || undefined })}>
              {view.variable === undefined && <option value="">choose one</option>}
              {variables.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          r_eff
          <select value={String(view.rEff)} onChange={(e) => setLooView({ rEff: e.target.value === "1" ? 1 : "relative" })}>
            <option value="relative">relative_eff by chains</option>
            <option value="1">1 (independent draws)</option>
          </select>
        </label>
        {several && (
          <label>
            Pareto k of
            <select value={model} onChange={(e) => setShownModel(Number(e.target.value))}>
              {results!.models.map((m, i) => (
                <option key={m.model} value={i}>
                  {m.model}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {(state?.running || state?.error) && (
        <div className="diag-status">
          <LooStatus state={state} />
        </div>
      )}
      {results && result && (
        <div className="loo-body">
          {several ? <Comparison results={results} reference={view.reference} /> : <Estimates result={result} />}
          {flagged > 0 && (
            <p className="loo-warning" role="note">
              {several ? `${result.model}: ` : ""}
              {formatCount(flagged, "observation")} with Pareto k of {result.kThreshold.toFixed(2)} or more: the estimates for {flagged === 1 ? "it are" : "them are"} unreliable (loo suggests moment
              matching, reloo or k-fold CV for those).
            </p>
          )}
          <ParetoKFigure result={result} model={model} />
        </div>
      )}
    </section>
  );
}
