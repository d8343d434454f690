// How an error crosses from the engine's worker to the page: bugs told apart from bad input.
import { describe, expect, it } from "vitest";
import { SpecError, StoreError } from "../src/engine/errors.ts";
import { errorData } from "../src/worker/error-data.ts";

const live = new AbortController().signal;

describe("errors crossing to the page", () => {
  it("a bug is an internal error, said not to be the input's fault, its stack kept for a report", () => {
    const data = errorData(new TypeError("dataType.match is not a function"), live);
    expect(data.name).toBe("InternalError");
    expect(data.message).toBe("internal error in drawscope, not a problem with your input: dataType.match is not a function. Please report it, with what you opened and did");
    expect(data.details).toMatch(/^TypeError: dataType\.match is not a function\n\s+at /);
  });

  it("bad input keeps its own name and message, a spec error its place; a cancel is a cancel", () => {
    expect(errorData(new StoreError("x.zarr is not a Zarr store"), live)).toEqual({ name: "StoreError", message: "x.zarr is not a Zarr store" });
    expect(errorData(new SpecError("dims", "no dimension 'g'", 5, 6, "groups"), live)).toEqual({ name: "SpecError", message: "no dimension 'g'", kind: "dims", start: 5, end: 6, suggestion: "groups" });
    const cancelled = new AbortController();
    cancelled.abort();
    expect(errorData(new TypeError("whatever"), cancelled.signal).name).toBe("CancelledError");
  });
});
