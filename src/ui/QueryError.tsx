import { PANEL_KINDS } from "../panels/registry.ts";
import type { EngineErrorData } from "../worker/protocol.ts";
import { ReportDetails } from "./ReportDetails.tsx";
import "./QueryError.css";

/** An engine error under the query bar, with the offending part of the query marked. */
export function QueryError({ error, query }: { error: EngineErrorData; query: string }) {
  const marked = error.start !== undefined && error.end !== undefined && error.end > error.start && error.end <= query.length;
  return (
    <div role="alert" className="error query-error" id="query-error">
      <p>{error.message}</p>
      {marked && (
        <pre aria-label="Where in the query">
          {query.slice(0, error.start)}
          <mark>{query.slice(error.start, error.end)}</mark>
          {query.slice(error.end)}
        </pre>
      )}
      <ReportDetails details={error.details} />
    </div>
  );
}

/** Kinds that summarise a query's elements chunk by chunk, so they draw a query too big to hold. */
const STREAMING = PANEL_KINDS.filter((k) => k.streams).map((k) => k.title);

/** Why the query's table is not held (over the memory budget), and which panels still draw it. */
export function OversizeNote({ message }: { message: string }) {
  return (
    <div role="alert" className="error query-error" id="query-error">
      <p>{message}</p>
      <p>
        {STREAMING.join(" and ")} {STREAMING.length > 1 ? "summarise" : "summarises"} it chunk by chunk without holding it; the other panels need a narrower query.
      </p>
    </div>
  );
}
