import { describe, expect, it } from "vitest";
import { decodeView, encodeView } from "../src/state/url-codec.ts";
import type { SharedView } from "../src/state/view.ts";

const strip = (shared: SharedView) => ({ ...shared, view: { ...shared.view, panels: shared.view.panels.map(({ kind, options }) => ({ kind, options })) } });

describe("view links", () => {
  it("round-trips the query, groups, panels with options, the trace and its fingerprint", () => {
    const shared: SharedView = {
      trace: { kind: "url", url: "https://example.org/traces/run 1.zarr.zip?x=1&y=2#frag" },
      fingerprint: "9be11432606fbec2",
      view: {
        query: "beta[groups], sigma; theta[school, year]",
        groups: ["posterior", "prior"],
        panels: [
          { id: "a", kind: "density", options: { value: "beta", facet: "", color: "source", adjust: 1.5, fill: false } },
          { id: "b", kind: "table", options: { rows: "50" } },
        ],
      },
    };
    const hash = encodeView(shared);
    expect(hash).toContain("q=beta[groups],%20sigma%3B%20theta[school,%20year]");
    expect(hash).toContain("panel=density;value=beta;facet=;color=source;adjust=1.5;fill=0");
    const back = decodeView(hash)!;
    expect(back.problems).toEqual([]);
    expect(strip(back.shared)).toEqual(strip(shared));
  });

  it("round-trips a query of expressions, whatever operators they hold", () => {
    const query = 'd = beta[groups] - beta[groups=North], p = beta[groups] > 0 && !(sigma >= 1e-3) || sigma^2 != 0.5, q = theta[school="St. Paul\'s"] / 2';
    const hash = encodeView({ trace: { kind: "example" }, view: { query, groups: ["posterior"], panels: [] } });
    expect(hash).not.toMatch(/&(?!(trace|q|g|panel|diag|loo|budget|name|model)=)/);
    const back = decodeView(hash)!;
    expect(back.problems).toEqual([]);
    expect(back.shared.view.query).toBe(query);
  });

  it("round-trips the diagnostics table: its scope, and only the settings that differ from the defaults", () => {
    const shared: SharedView = {
      trace: { kind: "example" },
      view: {
        query: "beta[groups=North|East], sample_stats/diverging",
        groups: ["posterior"],
        panels: [],
        diagnostics: { scope: "posterior", filter: "^beta\\[(North|South)", sort: "rhat", descending: true, rhat: 1.05, ess: 400, limit: 20 },
      },
    };
    const hash = encodeView(shared);
    expect(hash).toContain("q=beta[groups=North%7CEast],%20sample_stats/diverging");
    expect(hash).toContain("diag=posterior;filter=%5Ebeta%5C[(North%7CSouth);sort=rhat;descending=1;rhat=1.05;limit=20");
    const back = decodeView(hash)!;
    expect(back.problems).toEqual([]);
    expect(back.shared.view.diagnostics).toEqual(shared.view.diagnostics);
    expect(back.shared.view.query).toBe(shared.view.query);
    const bad = decodeView("#trace=example&diag=query;rhat=high;colour=red")!;
    expect(bad.shared.view.diagnostics).toEqual({ scope: "query", filter: "", sort: "index", descending: false, rhat: 1.01, ess: 400, limit: 0 });
    expect(bad.problems).toEqual(["the diagnostics table's 'rhat' must be a number ≥ 0, not 'high'; the default is used", "the diagnostics table has no setting 'colour'; it was ignored"]);
  });

  it("carries every model: the first's name, and each other with its trace and fingerprint", () => {
    const shared: SharedView = {
      trace: { kind: "url", url: "https://example.org/centered.zarr" },
      fingerprint: "aaaa",
      view: { query: "mu", groups: ["posterior"], panels: [] },
      firstModel: "centered",
      models: [
        { name: "non centered", trace: { kind: "url", url: "https://example.org/nc.zarr" }, fingerprint: "bbbb" },
        { name: "mine", trace: { kind: "local", label: "mine.nc" } },
        { name: "ex", trace: { kind: "example" } },
      ],
    };
    const hash = encodeView(shared);
    expect(hash).toContain("&name=centered&model=non%20centered;url=https%3A//example.org/nc.zarr;fp=bbbb&model=mine;local=mine.nc&model=ex;example");
    const back = decodeView(hash)!;
    expect(back.problems).toEqual([]);
    expect(back.shared.firstModel).toBe("centered");
    expect(back.shared.models).toEqual(shared.models);
    const bad = decodeView("#q=mu&model=x&model=y;colour=red;example")!;
    expect(bad.shared.models).toEqual([{ name: "y", trace: { kind: "example" }, fingerprint: undefined }]);
    expect(bad.problems).toEqual(["model 2 (x) names no trace; it was left out", "model 2 (y) has no setting 'colour'; it was ignored"]);
  });

  it("keeps the PSIS-LOO section: its variable and r_eff = 1; an unknown setting is named", () => {
    const view = { query: "sigma", groups: ["posterior"], panels: [] };
    expect(encodeView({ view: { ...view, loo: { rEff: "relative" } } })).toBe("#q=sigma&loo=");
    expect(encodeView({ view: { ...view, loo: { variable: "y", rEff: 1 } } })).toBe("#q=sigma&loo=y;reff=1");
    expect(decodeView("#q=sigma&loo=")!.shared.view.loo).toEqual({ variable: undefined, rEff: "relative" });
    expect(decodeView("#q=sigma&loo=y;reff=1")!.shared.view.loo).toEqual({ variable: "y", rEff: 1 });
    const bad = decodeView("#q=sigma&loo=y;reff=2")!;
    expect(bad.shared.view.loo).toEqual({ variable: "y", rEff: "relative" });
    expect(bad.problems).toEqual(["the LOO section has no setting 'reff=2'; it was ignored"]);
  });

  it("keeps a memory budget other than the default, and says when one is not a number of megabytes", () => {
    const view = { query: "mu[obs]", groups: ["posterior"], panels: [] };
    expect(encodeView({ view: { ...view, budgetMB: 250 } })).toBe("#q=mu[obs]&mem=250");
    expect(encodeView({ view: { ...view, budgetMB: 1000 } })).toBe("#q=mu[obs]");
    expect(decodeView("#q=mu[obs]&mem=250")!.shared.view.budgetMB).toBe(250);
    const bad = decodeView("#q=mu[obs]&mem=lots")!;
    expect(bad.shared.view.budgetMB).toBeUndefined();
    expect(bad.problems).toEqual(["the memory budget 'lots' is not a number of megabytes; 1000 MB applies"]);
  });

  it("keeps the example and local traces apart", () => {
    const local = decodeView(encodeView({ trace: { kind: "local", label: "my trace.zarr" }, fingerprint: "00ff", view: { query: "sigma", groups: ["posterior"], panels: [] } }))!;
    expect(local.shared.trace).toEqual({ kind: "local", label: "my trace.zarr" });
    expect(local.shared.fingerprint).toBe("00ff");
    expect(decodeView("#trace=example&q=sigma")!.shared.trace).toEqual({ kind: "example" });
  });

  it("says what in a link it could not use, and keeps the rest", () => {
    const link = decodeView("#q=sigma&panel=violin;x=1&panel=density;adjust=99;bogus=2;fill=yes&panel=table;rows=7&zoom=3&trace=elsewhere")!;
    expect(link.shared.view.query).toBe("sigma");
    expect(link.shared.view.panels.map((p) => [p.kind, p.options])).toEqual([
      ["density", {}],
      ["table", {}],
    ]);
    expect(link.problems).toEqual([
      "panel 1: there is no panel kind 'violin'; it was left out",
      "panel 1 (Density): Bandwidth × must be a number from 0.1 to 10, not '99'; the default is used",
      "panel 1 (Density): no option 'bogus'; it was ignored",
      "panel 1 (Density): Fill must be 1 or 0, not 'yes'; the default is used",
      "panel 2 (Table): Rows shown must be one of 10, 20, 50, 100, not '7'; the default is used",
      "the link has an unknown part 'zoom'; it was ignored",
      "the link names an unknown trace 'elsewhere'",
    ]);
  });

  it("reports bad percent-encoding instead of throwing", () => {
    const link = decodeView("#q=beta%E0%A4")!;
    expect(link.problems).toEqual(["the link's 'q' is not valid percent-encoding: 'beta%E0%A4'"]);
  });

  it("finds no view in an empty fragment", () => {
    expect(decodeView("")).toBeUndefined();
    expect(decodeView("#")).toBeUndefined();
  });
});
