/** A bug's stack, folded under the message that says it is one: for a report, not to read. */
export function ReportDetails({ details }: { details?: string }) {
  if (!details) return null;
  return (
    <details>
      <summary>Details for a report</summary>
      <pre>{details}</pre>
    </details>
  );
}
