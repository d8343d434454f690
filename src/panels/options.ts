import { MODEL } from "../engine/stack-models.ts";
import type { TableShape } from "../engine/table-shape.ts";
import type { OptionSpec, OptionValue, PanelOptions, PanelSpec } from "./types.ts";

/**
 * The choices a column option has for this table, in the table's column order; for a level
 * option, the levels of the dimension `options` chose for it.
 */
export function columnChoices(spec: OptionSpec, table: TableShape, options: PanelOptions = {}): string[] {
  const { columns } = table;
  if (spec.type === "level") {
    const dim = options[spec.of];
    return typeof dim === "string" ? (table.levels[dim] ?? []) : [];
  }
  if (spec.type === "chain") return table.levels.chain ?? [];
  if (spec.type === "value") return columns.filter((c) => c.role === "value" && c.numeric).map((c) => c.name);
  if (spec.type === "dim") return columns.filter((c) => c.role === "dim" || c.role === "source").map((c) => c.name);
  if (spec.type === "column") return columns.filter((c) => c.role !== "sample").map((c) => c.name);
  return [];
}

export interface ResolvedOptions {
  options: PanelOptions;
  /** Stored choices this table cannot honour, in words, for the panel to show. */
  notes: string[];
}

/**
 * Complete a panel's stored options for a table: missing ones take their defaults, and column
 * choices the table does not have fall back to a default (with a note saying so).
 */
export function resolveOptions(kind: PanelSpec, stored: PanelOptions, table: TableShape): ResolvedOptions {
  const options: PanelOptions = {};
  const notes: string[] = [];
  const { columns } = table;
  const dims = columns.filter((c) => c.role === "dim").map((c) => c.name);
  const source = columns.some((c) => c.role === "source");
  const sampled = columns.some((c) => c.role === "sample");
  const model = columns.some((c) => c.name === MODEL && c.role === "dim");
  // Value options first: dimension defaults depend on the value chosen; levels last, as they depend on a dimension.
  const rank = (spec: OptionSpec) => (spec.type === "value" ? 0 : spec.type === "level" ? 2 : 1);
  const ordered = [...kind.options].sort((a, b) => rank(a) - rank(b));
  let dimDefaults: Record<string, string> | undefined;
  for (const spec of ordered) {
    const value = stored[spec.key];
    if ((spec.type === "dim" || spec.type === "column") && !dimDefaults) {
      const firstValue = kind.options.find((o) => o.type === "value");
      const valueDims = columns.find((c) => firstValue && c.name === options[firstValue.key])?.dims ?? dims;
      dimDefaults = kind.dimDefaults?.({ dims, valueDims, source, sampled, model }) ?? {};
    }
    if (spec.type === "value" || spec.type === "dim" || spec.type === "column") {
      const choices = columnChoices(spec, table);
      const fallback = spec.type === "value" ? (choices[0] ?? "") : (dimDefaults?.[spec.key] ?? (spec.type === "column" && spec.none !== undefined ? "" : (choices[0] ?? "")));
      const allowed = (v: OptionValue | undefined): v is string => typeof v === "string" && (choices.includes(v) || (spec.type !== "value" && v === "" && spec.none !== undefined));
      options[spec.key] = allowed(value) ? value : allowed(fallback) ? fallback : "";
      if (value !== undefined && !allowed(value)) notes.push(`${spec.label}: this table has no column '${value}'`);
    } else if (spec.type === "level") {
      const choices = columnChoices(spec, table, options);
      const allowed = (v: OptionValue | undefined): v is string => typeof v === "string" && (choices.includes(v) || (v === "" && spec.none !== undefined));
      options[spec.key] = allowed(value) ? value : spec.none !== undefined ? "" : (choices[0] ?? "");
      if (value !== undefined && !allowed(value)) notes.push(`${spec.label}: '${value}' is not a level of ${options[spec.of] || "the chosen dimension"}`);
    } else if (spec.type === "chain") {
      const allowed = (v: OptionValue | undefined): v is string => v === "all" || (typeof v === "string" && columnChoices(spec, table).includes(v));
      options[spec.key] = allowed(value) ? value : "all";
      if (value !== undefined && !allowed(value)) notes.push(`${spec.label}: this table has no chain '${value}', so all are shown`);
    } else {
      options[spec.key] = value ?? (spec.type === "choice" ? kind.choiceDefaults?.(columns)[spec.key] : undefined) ?? spec.default;
    }
  }
  // Keep the kind's option order for the form.
  return { options: Object.fromEntries(kind.options.map((o) => [o.key, options[o.key]])), notes };
}

/** What an option holds before a table resolves it: its kind's default, "all" chains, or no column. */
export function initialOption(spec: OptionSpec): OptionValue {
  return "default" in spec ? spec.default : spec.type === "chain" ? "all" : "";
}

/** An option as text in a link. */
export function formatOption(spec: OptionSpec, value: OptionValue): string {
  if (spec.type === "boolean") return value ? "1" : "0";
  return String(value);
}

/** An option read back from a link, or an explanation of why the text is not a valid value. */
export function parseOption(spec: OptionSpec, text: string): { value: OptionValue } | { problem: string } {
  switch (spec.type) {
    case "boolean":
      return text === "1" || text === "0" ? { value: text === "1" } : { problem: `${spec.label} must be 1 or 0, not '${text}'` };
    case "number": {
      const value = Number(text);
      return text !== "" && Number.isFinite(value) && value >= spec.min && value <= spec.max ? { value } : { problem: `${spec.label} must be a number from ${spec.min} to ${spec.max}, not '${text}'` };
    }
    case "reference": {
      const trimmed = text.trim();
      return trimmed === "" || Number.isFinite(Number(trimmed)) ? { value: trimmed } : { problem: `${spec.label} must be a number or empty (no line), not '${text}'` };
    }
    case "choice":
      return spec.choices.some((c) => c.value === text) ? { value: text } : { problem: `${spec.label} must be one of ${spec.choices.map((c) => c.value).join(", ")}, not '${text}'` };
    default:
      // Column names and levels are checked against the table when the panel is drawn.
      return { value: text };
  }
}
