import { FUNCTIONS } from "../engine/expression.ts";
import { ownDims, type TraceTree, type VariableInfo } from "../engine/trace-tree.ts";
import { specOf } from "../engine/spec-text.ts";

export interface Completion {
  label: string;
  /** Text that replaces query[from, to). */
  insert: string;
  detail: string;
}

export interface Completions {
  from: number;
  to: number;
  items: Completion[];
}

/** A character of a word being completed: a spec's name character that is no expression operator. */
const WORD_CHAR = /[^\s[\],/()+\-*^<>=!&|]/;
const NAME = `${WORD_CHAR.source}+`;
/** `[group/]name` just before a bracket, and `group/` just before the caret. */
const SPEC_HEAD = new RegExp(`(?:(${NAME})/)?(${NAME})\\s*$`);
const GROUP_PREFIX = new RegExp(`(${NAME})/$`);
const MAX_ITEMS = 12;

export function shapeText(variable: VariableInfo): string {
  return variable.shape.join("×") || "scalar";
}

/** Prefix matches first, then other substring matches, each in the trace's order. */
function ranked<T>(items: readonly T[], name: (item: T) => string, typed: string): T[] {
  const t = typed.toLowerCase();
  const starts = items.filter((i) => name(i).toLowerCase().startsWith(t));
  const inside = items.filter((i) => !name(i).toLowerCase().startsWith(t) && name(i).toLowerCase().includes(t));
  return [...starts, ...inside];
}

/**
 * What can be typed at `caret`: dimension names inside a spec's brackets, a group's variables
 * after `group/`, otherwise the default group's variables (as whole specs), group names and the
 * functions of expressions. Words end at operators and parentheses, so completion works inside
 * an expression as in a plain list of specs.
 */
export function completionsAt(query: string, caret: number, tree: TraceTree, groups: readonly string[]): Completions {
  let from = caret;
  while (from > 0 && WORD_CHAR.test(query[from - 1])) from--;
  let to = caret;
  while (to < query.length && WORD_CHAR.test(query[to])) to++;
  const typed = query.slice(from, caret);
  const before = query.slice(0, from);
  const defaultGroup = groups[0] ?? "posterior";

  const open = before.lastIndexOf("[");
  if (open > before.lastIndexOf("]")) {
    // Inside brackets: the variable is the name (with its group) just before the bracket.
    const head = SPEC_HEAD.exec(before.slice(0, open));
    const group = tree.groups.find((g) => g.name === (head?.[1] ?? defaultGroup));
    const variable = group?.variables.find((v) => v.name === head?.[2]);
    if (!variable) return { from, to, items: [] };
    const typedDims = new Set(
      before
        .slice(open + 1)
        .split(",")
        .map((d) => d.trim()),
    );
    const dims = ownDims(variable).filter((d) => !typedDims.has(d));
    const items = ranked(dims, (d) => d, typed).map((d) => {
      const info = group!.dims.find((x) => x.name === d);
      return { label: d, insert: d, detail: `${info?.size ?? "?"} labels` };
    });
    return { from, to, items };
  }

  const slash = GROUP_PREFIX.exec(before);
  if (slash) {
    const group = tree.groups.find((g) => g.name === slash[1]);
    const variables = ranked(group?.variables ?? [], (v) => v.name, typed);
    return { from: from - slash[0].length, to, items: variables.slice(0, MAX_ITEMS).map((v) => variableItem(v, query[to] === "[", "")) };
  }

  const own = tree.groups.find((g) => g.name === defaultGroup)?.variables ?? [];
  const others = tree.groups.filter((g) => g.name !== defaultGroup).flatMap((g) => g.variables);
  const items = [
    ...ranked(own, (v) => v.name, typed).map((v) => variableItem(v, query[to] === "[", defaultGroup)),
    ...ranked(tree.groups, (g) => g.name, typed).map((g) => ({ label: `${g.name}/`, insert: `${g.name}/`, detail: `group, ${g.variables.length} variable${g.variables.length === 1 ? "" : "s"}` })),
    ...(typed ? ranked(others, (v) => v.name, typed).map((v) => variableItem(v, query[to] === "[", defaultGroup)) : []),
    ...(typed ? ranked(Object.keys(FUNCTIONS), (f) => f, typed).map(functionItem) : []),
  ];
  return { from, to, items: items.slice(0, MAX_ITEMS) };
}

function functionItem(name: string): Completion {
  const arity = FUNCTIONS[name as keyof typeof FUNCTIONS];
  return { label: `${name}()`, insert: `${name}(`, detail: `function of ${arity === 1 ? "one argument" : `${arity} arguments`}` };
}

function variableItem(variable: VariableInfo, bracketFollows: boolean, defaultGroup: string): Completion {
  const spec = specOf(variable, defaultGroup);
  const insert = bracketFollows ? spec.replace(/\[.*$/, "") : spec;
  return { label: spec, insert, detail: shapeText(variable) };
}
