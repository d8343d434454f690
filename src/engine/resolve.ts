import type { Label } from "./domain.ts";
import { SpecError } from "./errors.ts";
import type { Spec } from "./spec.ts";
import { nearestName } from "./suggest.ts";
import { ARVIZ_GROUPS, ownDims, type GroupInfo, type TraceTree, type VariableInfo } from "./trace-tree.ts";

/** A spec matched to the trace: the variable it names and the dimensions it spreads over. */
export interface ResolvedSpec {
  spec: Spec;
  variable: VariableInfo;
  /** Non-sample dimensions in the order the spec named them (the variable's order without brackets). */
  dims: string[];
  /** The name of the value column in the tidy table. */
  column: string;
  /** Dimensions restricted to some of their labels (`beta[groups=North]`), with those labels. */
  selections: Map<string, Label[]>;
}

const quote = (s: string) => `'${s}'`;
const listOf = (names: readonly string[]) => (names.length ? names.join(", ") : "none");
const didYouMean = (s: string | undefined) => (s ? `: did you mean ${quote(s)}?` : "");

export function findGroup(tree: TraceTree, name: string): GroupInfo | undefined {
  return tree.groups.find((g) => g.name === name);
}

/** The error for a group name the trace does not have, positioned at `[start, end)`. */
export function unknownGroup(tree: TraceTree, name: string, start: number, end: number): SpecError {
  const names = tree.groups.map((g) => g.name);
  const suggestion = nearestName(name, names);
  return new SpecError("unknown-group", `no group ${quote(name)} in this trace (it has ${listOf(names)})${didYouMean(suggestion)}`, start, end, suggestion);
}

function resolveVariable(tree: TraceTree, spec: Spec, defaultGroup: string): VariableInfo {
  const groupName = spec.group?.text ?? defaultGroup;
  const group = findGroup(tree, groupName);
  if (!group) {
    if (spec.group) throw unknownGroup(tree, spec.group.text, spec.group.start, spec.group.end);
    throw unknownGroup(tree, groupName, spec.start, spec.end);
  }
  const name = spec.name.text;
  const variable = group.variables.find((v) => v.name === name);
  if (variable) return variable;
  const rank = (g: string) => (ARVIZ_GROUPS.includes(g) ? ARVIZ_GROUPS.indexOf(g) : ARVIZ_GROUPS.length);
  const elsewhere = tree.groups
    .filter((g) => g.variables.some((v) => v.name === name))
    .map((g) => g.name)
    .sort((a, b) => rank(a) - rank(b));
  const names = group.variables.map((v) => v.name);
  const suggestion = nearestName(name, names);
  const hint = elsewhere.length ? `; it is in ${listOf(elsewhere)}: write ${quote(`${elsewhere[0]}/${name}`)}` : didYouMean(suggestion);
  throw new SpecError(
    "unknown-variable",
    `no variable ${quote(name)} in group ${quote(group.name)} (it has ${listOf(names)})${hint}`,
    spec.name.start,
    spec.name.end,
    elsewhere.length ? `${elsewhere[0]}/${name}` : suggestion,
  );
}

function resolveDims(spec: Spec, variable: VariableInfo): string[] {
  const own = ownDims(variable);
  if (spec.dims === null) return own;
  const label = quote(variable.name);
  const bracketStart = spec.dims[0].start;
  const bracketEnd = spec.dims[spec.dims.length - 1].end;
  if (own.length === 0) {
    const sample = variable.sampleDims.length ? ` (only ${listOf(variable.sampleDims)})` : "";
    throw new SpecError("dims", `${label} has no dimensions to spread over${sample}: drop the brackets`, bracketStart, bracketEnd);
  }
  const seen = new Set<string>();
  for (const dim of spec.dims) {
    if (variable.sampleDims.includes(dim.text)) {
      throw new SpecError(
        "dims",
        `${quote(dim.text)} is a sample dimension, always a column of its own: leave it out of the brackets of ${label} (its dimensions are ${listOf(own)})`,
        dim.start,
        dim.end,
      );
    }
    if (!own.includes(dim.text)) {
      const suggestion = nearestName(
        dim.text,
        own.filter((d) => !seen.has(d)),
      );
      throw new SpecError("dims", `${label} has no dimension ${quote(dim.text)} (its dimensions are ${listOf(own)})${didYouMean(suggestion)}`, dim.start, dim.end, suggestion);
    }
    if (seen.has(dim.text)) {
      throw new SpecError("dims", `dimension ${quote(dim.text)} is named twice for ${label}`, dim.start, dim.end);
    }
    seen.add(dim.text);
  }
  const missing = own.filter((d) => !seen.has(d));
  if (missing.length) {
    throw new SpecError("dims", `${label} has dimensions ${listOf(own)}: the brackets must name all of them; add ${listOf(missing.map(quote))}`, bracketStart, bracketEnd, missing[0]);
  }
  return spec.dims.map((d) => d.text);
}

/** The labels each `dim=label|…` of a spec selects, checked against the dimension's labels. */
function resolveSelections(tree: TraceTree, spec: Spec, variable: VariableInfo): Map<string, Label[]> {
  const selections = new Map<string, Label[]>();
  for (const { dim, labels } of spec.selections) {
    if (selections.has(dim.text)) throw new SpecError("label", `labels of ${quote(dim.text)} are chosen twice: write them once, separated by '|'`, dim.start, dim.end);
    const known = findGroup(tree, variable.group)?.dims.find((d) => d.name === dim.text)?.labels ?? [];
    const byText = new Map<string, Label>(known.map((l) => [String(l), l]));
    selections.set(
      dim.text,
      labels.map((token) => {
        const label = byText.get(token.text);
        if (label !== undefined) return label;
        const texts = [...byText.keys()];
        const suggestion = nearestName(token.text, texts);
        const shown = texts.length > 12 ? `${texts.slice(0, 12).join(", ")}, … ${texts.length - 12} more` : listOf(texts);
        throw new SpecError("label", `${quote(dim.text)} has no label ${quote(token.text)} (its labels are ${shown})${didYouMean(suggestion)}`, token.start, token.end, suggestion);
      }),
    );
  }
  return selections;
}

/**
 * An expression's operand matched to a variable: as a spec, except that it may repeat another
 * spec's variable, a selection of exactly one label drops its dimension (so `beta[groups=North]`
 * broadcasts over the groups of another operand), and its values must be numbers or booleans.
 */
export function resolveOperand(tree: TraceTree, spec: Spec, defaultGroup: string, column: string): ResolvedSpec {
  const variable = resolveVariable(tree, spec, defaultGroup);
  if (variable.dtype === "string") {
    throw new SpecError("dims", `${quote(variable.name)} holds text, which arithmetic cannot take: an expression needs numbers or booleans`, spec.start, spec.end);
  }
  const selections = resolveSelections(tree, spec, variable);
  const dims = resolveDims(spec, variable).filter((d) => selections.get(d)?.length !== 1);
  return { spec, variable, dims, column, selections };
}

/** Match each spec to a variable of the trace; specs without a group prefix read `defaultGroup`. */
export function resolveSpecs(tree: TraceTree, specs: readonly Spec[], defaultGroup: string): ResolvedSpec[] {
  const resolved: ResolvedSpec[] = [];
  const columns = new Set<string>();
  for (const spec of specs) {
    const variable = resolveVariable(tree, spec, defaultGroup);
    const dims = resolveDims(spec, variable);
    const twin = resolved.find((r) => r.variable === variable);
    if (twin) {
      throw new SpecError("duplicate", `${quote(`${variable.group}/${variable.name}`)} is asked for twice: remove one`, spec.start, spec.end);
    }
    const column = columns.has(variable.name) ? `${variable.group}/${variable.name}` : variable.name;
    columns.add(column);
    resolved.push({ spec, variable, dims, column, selections: resolveSelections(tree, spec, variable) });
  }
  return resolved;
}
