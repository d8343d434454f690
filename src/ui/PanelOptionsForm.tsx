import type { TableShape } from "../engine/table-shape.ts";
import { useEffect, useState } from "react";
import { columnChoices, initialOption, parseOption } from "../panels/options.ts";
import type { OptionSpec, OptionValue, PanelOptions, PanelSpec } from "../panels/types.ts";
import "./PanelOptionsForm.css";

/** A number or nothing; text that is neither stays in the box, marked invalid, until it is fixed. */
function ReferenceInput({ spec, value, onChange }: { spec: OptionSpec; value: string; onChange: (v: OptionValue) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const parsed = parseOption(spec, text);
  return (
    <input
      type="text"
      inputMode="decimal"
      size={6}
      placeholder="none"
      value={text}
      aria-invalid={"problem" in parsed}
      title={"problem" in parsed ? parsed.problem : "A number draws a reference line; empty draws none"}
      onChange={(e) => {
        setText(e.target.value);
        const next = parseOption(spec, e.target.value);
        if ("value" in next) onChange(next.value);
      }}
    />
  );
}

function Control({ spec, value, table, options, onChange }: { spec: OptionSpec; value: OptionValue; table?: TableShape; options: PanelOptions; onChange: (v: OptionValue) => void }) {
  switch (spec.type) {
    case "value":
    case "dim":
    case "column": {
      const choices = table ? columnChoices(spec, table) : [];
      return (
        <select value={String(value)} onChange={(e) => onChange(e.target.value)} disabled={!table}>
          {spec.type !== "value" && spec.none !== undefined && <option value="">{spec.none}</option>}
          {choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
          {table && !choices.includes(String(value)) && value !== "" && <option value={String(value)}>{String(value)}</option>}
        </select>
      );
    }
    case "level": {
      const levels = table ? columnChoices(spec, table, options) : [];
      return (
        <select value={String(value)} onChange={(e) => onChange(e.target.value)} disabled={!table}>
          {spec.none !== undefined && <option value="">{spec.none}</option>}
          {levels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      );
    }
    case "chain": {
      const chains = table ? columnChoices(spec, table) : [];
      return (
        <select value={String(value)} onChange={(e) => onChange(e.target.value)} disabled={!table}>
          <option value="all">all</option>
          {chains.map((c) => (
            <option key={c} value={c}>
              chain {c}
            </option>
          ))}
        </select>
      );
    }
    case "choice":
      return (
        <select value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {spec.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      );
    case "number":
      return (
        <input
          type="number"
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={Number(value)}
          onChange={(e) => {
            const v = e.target.valueAsNumber;
            if (Number.isFinite(v) && v >= spec.min && v <= spec.max) onChange(v);
          }}
        />
      );
    case "reference":
      return <ReferenceInput spec={spec} value={String(value)} onChange={onChange} />;
    case "boolean":
      return <input type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />;
  }
}

/** A panel's options as form controls, generated from its kind's option specs. */
export function PanelOptionsForm({ kind, options, table, onChange }: { kind: PanelSpec; options: PanelOptions; table?: TableShape; onChange: (key: string, value: OptionValue) => void }) {
  return (
    <div className="panel-options">
      {kind.options.map((spec) => (
        <label key={spec.key} className={spec.type === "boolean" ? "check" : undefined}>
          {spec.label}
          <Control spec={spec} value={options[spec.key] ?? initialOption(spec)} table={table} options={options} onChange={(v) => onChange(spec.key, v)} />
        </label>
      ))}
    </div>
  );
}
