import { useEffect, useState } from "react";
import { isSamplerGroup, type DimInfo, type GroupInfo, type TraceTree } from "../engine/trace-tree.ts";
import { SAMPLER_STATS, SAMPLER_VARIABLES } from "../panels/sampler/stats.ts";
import { specOf } from "../engine/spec-text.ts";
import { shapeText } from "./completion.ts";
import { useActions, useApp } from "./context.ts";
import "./TraceBrowser.css";

const SHOWN_LABELS = 12;
/**
 * Variables listed per group at most. A group of thousands (one variable per parameter) gets a
 * filter instead: its whole list as buttons blocked the page for seconds when the trace opened.
 */
const SHOWN_VARIABLES = 200;

function Labels({ dim }: { dim: DimInfo }) {
  const labels = dim.labels.slice(0, SHOWN_LABELS).map(String);
  const more = dim.size - labels.length;
  return (
    <li>
      <span className="dim-name">{dim.name}</span> <span className="muted">({dim.size})</span>
      <div className="labels">
        {dim.hasCoordinate ? labels.join(", ") : `0 … ${dim.size - 1} (no coordinate)`}
        {dim.hasCoordinate && more > 0 && ` … ${more} more`}
      </div>
    </li>
  );
}

/** The group's variables whose name holds `filter` (any case), the first SHOWN_VARIABLES of them, and how many matched. */
function shownVariables(group: GroupInfo, filter: string): { shown: GroupInfo["variables"]; matched: number } {
  const needle = filter.trim().toLowerCase();
  const matching = needle ? group.variables.filter((v) => v.name.toLowerCase().includes(needle)) : group.variables;
  return { shown: matching.slice(0, SHOWN_VARIABLES), matched: matching.length };
}

function Group({ group, defaultGroup }: { group: GroupInfo; defaultGroup: string }) {
  const { insertSpec } = useActions();
  const [filter, setFilter] = useState("");
  const insert = (spec: string) => {
    insertSpec(spec);
    document.getElementById("query-input")?.focus();
  };
  const many = group.variables.length > SHOWN_VARIABLES;
  const { shown, matched } = shownVariables(group, filter);
  return (
    <details open={group.name === defaultGroup}>
      <summary>
        {group.name} <span className="muted">{group.variables.length.toLocaleString("en-US")}</span>
      </summary>
      {many && (
        <input
          type="search"
          className="variable-filter"
          aria-label={`Filter the variables of ${group.name}`}
          placeholder={`Filter ${group.variables.length.toLocaleString("en-US")} variables`}
          value={filter}
          spellCheck={false}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      <ul className="variables">
        {shown.map((v) => {
          const spec = specOf(v, defaultGroup);
          return (
            <li key={v.name}>
              <button type="button" className="variable" title={`Insert ${spec} into the query`} onClick={() => insert(spec)}>
                <span className="spec">{specOf(v, group.name)}</span> <span className="shape">{shapeText(v)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {matched > shown.length && (
        <p className="muted variables-more">
          {(matched - shown.length).toLocaleString("en-US")} more {filter.trim() ? "match" : "variables"}: type part of a name to narrow the list
        </p>
      )}
      {many && matched === 0 && (
        <p className="muted variables-more">
          No variable of {group.name} has “{filter.trim()}” in its name
        </p>
      )}
      {group.dims.some((d) => !group.sampleDims.includes(d.name)) && (
        <div className="coords">
          <h4>Coordinates</h4>
          <ul>
            {group.dims
              .filter((d) => !group.sampleDims.includes(d.name))
              .map((d) => (
                <Labels key={d.name} dim={d} />
              ))}
          </ul>
        </div>
      )}
    </details>
  );
}

/** One click to the sampler panel: a query of the group's sampler statistics, and the panel if there is none. */
function SamplerQuery({ group, defaultGroup }: { group: GroupInfo; defaultGroup: string }) {
  const { setQuery, addPanel, runQuery } = useActions();
  const hasPanel = useApp((s) => s.view.panels.some((p) => p.kind === "sampler"));
  const specs = SAMPLER_VARIABLES.flatMap((name) => {
    const variable = group.variables.find((v) => v.name === name);
    return variable ? [specOf(variable, defaultGroup)] : [];
  });
  // Divergences alone give the panel nothing to draw (the trace and pairs panels mark them).
  const drawn = Object.values(SAMPLER_STATS).some(({ columns }) => group.variables.some((v) => columns.includes(v.name)));
  if (!drawn) return null;
  const query = specs.join(", ");
  return (
    <button
      type="button"
      className="sampler-query"
      title={`Query ${query} and show the Sampler statistics panel`}
      onClick={() => {
        setQuery(query);
        if (!hasPanel) addPanel("sampler");
        void runQuery();
      }}
    >
      Sampler statistics of {group.name}
    </button>
  );
}

const PREDICTIVE_GROUPS = ["posterior_predictive", "prior_predictive"];

/**
 * One click to a predictive check per predictive variable that observed_data has by the same name
 * (as ArviZ pairs them): a query of both, and the Predictive check panel if there is none.
 */
function PredictiveChecks({ tree, defaultGroup }: { tree: TraceTree; defaultGroup: string }) {
  const { setQuery, addPanel, runQuery } = useActions();
  const hasPanel = useApp((s) => s.view.panels.some((p) => p.kind === "ppc"));
  const observed = tree.groups.find((g) => g.name === "observed_data");
  const logLikelihood = tree.groups.find((g) => g.name === "log_likelihood");
  const pairs = tree.groups
    .filter((g) => PREDICTIVE_GROUPS.includes(g.name))
    .flatMap((g) =>
      g.variables.flatMap((v) => {
        const data = observed?.variables.find((o) => o.name === v.name);
        // The posterior's log-likelihood of the same observations comes along, for LOO-PIT.
        const ll = g.name === "posterior_predictive" ? logLikelihood?.variables.find((l) => l.name === v.name && l.shape.join() === v.shape.join()) : undefined;
        return data ? [{ predictive: v, observed: data, ll }] : [];
      }),
    );
  if (pairs.length === 0) return null;
  return (
    <section aria-labelledby="predictive-checks" className="sampler-groups">
      <h3 id="predictive-checks">Predictive checks</h3>
      {pairs.map(({ predictive, observed: data, ll }) => {
        const query = [predictive, data, ...(ll ? [ll] : [])].map((v) => specOf(v, defaultGroup)).join(", ");
        return (
          <button
            key={`${predictive.group}/${predictive.name}`}
            type="button"
            className="sampler-query"
            title={`Query ${query} and show the Predictive check panel`}
            onClick={() => {
              setQuery(query);
              if (!hasPanel) addPanel("ppc");
              void runQuery();
            }}
          >
            {predictive.group}/{predictive.name} against observed_data/{data.name}
          </button>
        );
      })}
    </section>
  );
}

/** One model's name, edited in place (Enter or leaving the field renames it), and its removal. */
function ModelRow({ index, name, count }: { index: number; name: string; count: number }) {
  const { renameModel, removeModel } = useActions();
  const [text, setText] = useState(name);
  useEffect(() => setText(name), [name]);
  return (
    <li>
      <input
        type="text"
        aria-label={`Name of model ${index + 1}`}
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void renameModel(index, text)}
        onKeyDown={(e) => {
          if (e.key === "Enter") void renameModel(index, text);
          if (e.key === "Escape") setText(name);
        }}
      />
      <button type="button" aria-label={`Remove model ${name}`} title={`Close ${name}`} disabled={count < 2} onClick={() => void removeModel(index)}>
        ✕
      </button>
    </li>
  );
}

/** The models open beside each other, once there are several: their names (the model column's labels), editable. */
function Models() {
  const models = useApp((s) => s.models);
  if (models.length < 2) return null;
  return (
    <section aria-labelledby="models-heading" className="models">
      <h3 id="models-heading">Models</h3>
      <p className="muted">Queries read every model and stack them by a model column; the trace below is the first&apos;s.</p>
      <ul>
        {models.map((m, i) => (
          <ModelRow key={`${i}:${m.fingerprint}`} index={i} name={m.name} count={models.length} />
        ))}
      </ul>
    </section>
  );
}

/** The open trace: its groups, their variables with dims and shapes, and coordinate labels. */
export function TraceBrowser() {
  const trace = useApp((s) => s.trace);
  const defaultGroup = useApp((s) => s.view.groups[0]);
  if (!trace) return null;
  const { tree } = trace;
  // The sampler's own statistics are not model quantities: they are listed apart, after the model's groups.
  const sampler = tree.groups.filter((g) => isSamplerGroup(g.name));
  const model = tree.groups.filter((g) => !isSamplerGroup(g.name));
  return (
    <nav aria-label="Trace" className="trace-browser">
      <Models />
      <h2 title={tree.label}>{tree.label}</h2>
      <p className="muted">
        {tree.origin ?? `Zarr v${tree.zarrFormat}${tree.consolidated ? ", consolidated" : ""}`} · {tree.groups.length} {tree.groups.length === 1 ? "group" : "groups"}
      </p>
      {model.map((g) => (
        <Group key={g.name} group={g} defaultGroup={defaultGroup} />
      ))}
      <PredictiveChecks tree={tree} defaultGroup={defaultGroup} />
      {sampler.length > 0 && (
        <section aria-labelledby="sampler-groups" className="sampler-groups">
          <h3 id="sampler-groups">Sampler</h3>
          {sampler.map((g) => (
            <div key={g.name}>
              <SamplerQuery group={g} defaultGroup={defaultGroup} />
              <Group group={g} defaultGroup={defaultGroup} />
            </div>
          ))}
        </section>
      )}
    </nav>
  );
}
