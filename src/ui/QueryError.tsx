import type { EngineErrorData } from "../worker/protocol.ts";

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
    </div>
  );
}
