import type { TraceTree } from "../engine/tree.ts";

/** Groups and their variables with dims and shapes, e.g. `beta[groups] 4×400×4`. */
export function TraceOutline({ tree }: { tree: TraceTree }) {
  return (
    <nav aria-label="Trace" className="outline">
      <p className="store">
        {tree.label} · Zarr v{tree.zarrFormat}
        {tree.consolidated ? "" : " · not consolidated"}
      </p>
      {tree.groups.map((group) => (
        <details key={group.name} open={group.name === "posterior"}>
          <summary>{group.name}</summary>
          <ul>
            {group.variables.map((v) => {
              const own = v.dims.filter((d) => !v.sampleDims.includes(d));
              return (
                <li key={v.name}>
                  <code>{own.length ? `${v.name}[${own.join(", ")}]` : v.name}</code> <span className="shape">{v.shape.join("×")}</span>{" "}
                  <span className="dtype">{v.dtype}</span>
                </li>
              );
            })}
          </ul>
        </details>
      ))}
    </nav>
  );
}
