// How an error crosses from the engine's worker to the page: bugs told apart from bad input.
import { describe, expect, it } from "vitest";
import { CmdStanError, DrawscopeError, isBug, isDrawscopeError, SpecError, StoreError } from "../src/engine/errors.ts";
import { EngineError, errorDataOf } from "../src/worker/client.ts";
import { errorData } from "../src/worker/error-data.ts";

const live = new AbortController().signal;

describe("errors crossing to the page", () => {
  it("a bug is an internal error, said not to be the input's fault, its stack kept for a report", () => {
    const data = errorData(new TypeError("dataType.match is not a function"), live);
    expect(data.tag).toBe("internal");
    expect(data.message).toBe("internal error in drawscope, not a problem with your input: dataType.match is not a function. Please report it, with what you opened and did");
    expect(data.details).toMatch(/^TypeError: dataType\.match is not a function\n\s+at /);
  });

  it("bad input keeps its own tag and message, a spec error its place; a cancel is a cancel", () => {
    expect(errorData(new StoreError("x.zarr is not a Zarr store"), live)).toEqual({ tag: "store", message: "x.zarr is not a Zarr store" });
    expect(errorData(new SpecError("dims", "no dimension 'g'", 5, 6, "groups"), live)).toEqual({ tag: "spec", message: "no dimension 'g'", kind: "dims", start: 5, end: 6, suggestion: "groups" });
    expect(errorData(new DrawscopeError("no trace is open"), live)).toEqual({ tag: "request", message: "no trace is open" });
    const cancelled = new AbortController();
    cancelled.abort();
    expect(errorData(new TypeError("whatever"), cancelled.signal).tag).toBe("cancelled");
  });

  it("keeps its tag on the page, where isDrawscopeError tells it, and a bug from one on purpose", () => {
    const spec = new EngineError(errorData(new SpecError("syntax", "a bracket is not closed", 4, 5), live));
    expect(isDrawscopeError(spec, "spec")).toBe(true);
    expect(isDrawscopeError(spec, "store")).toBe(false);
    expect(isBug(spec)).toBe(false);
    expect(spec.data).toMatchObject({ start: 4, end: 5 });
    const bug = new EngineError(errorData(new TypeError("x is undefined"), live));
    expect(isDrawscopeError(bug, "internal")).toBe(true);
    expect(isBug(bug)).toBe(true);
    expect(isBug(new RangeError("offset is out of bounds"))).toBe(true);
    expect(isBug(new CmdStanError("header", { file: "output_1.csv", line: 40 }, "no lp__ column", "Open the files CmdStan wrote"))).toBe(false);
    expect(isDrawscopeError(new CmdStanError("header", { file: "a.csv" }, "x", "y"), "store")).toBe(true);
    expect(errorDataOf(new TypeError("page bug"))).toMatchObject({ tag: "internal" });
  });
});
