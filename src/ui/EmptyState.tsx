import { useActions, useApp } from "./context.ts";
import "./EmptyState.css";

/** What the page says before a trace is open: what to drop, and the example one click away. */
export function EmptyState() {
  const { openExample } = useActions();
  const busy = useApp((s) => s.task !== undefined);
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">Explore posterior draws, in your browser</h2>
      <p>
        Drop an ArviZ trace anywhere on this page: a Zarr folder such as <code>trace.zarr</code> (Zarr format 2 or 3), a <code>.zip</code> of one, or a NetCDF file such as <code>trace.nc</code> (as{" "}
        <code>idata.to_netcdf</code> saves it). CmdStan's CSV files open too: drop <code>output_1.csv</code> … <code>output_4.csv</code> together, or a folder or zip of them. Or use{" "}
        <strong>Open folder</strong>, <strong>Open file</strong> or <strong>Open URL</strong> above.
      </p>
      <p className="muted">Nothing is uploaded: the trace is read here, in this page, and stays on your computer.</p>
      <button type="button" className="primary" onClick={() => void openExample()} disabled={busy}>
        Open the example
      </button>
      <p className="muted">
        The example is a grouped linear regression: <code>beta[groups]</code>, <code>intercept[groups]</code>, <code>sigma</code> and <code>mu[obs_ind]</code>, 4 chains × 400 draws, with prior,
        predictive and data groups.
      </p>
    </section>
  );
}
