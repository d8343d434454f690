import { useActions, useApp } from "./context.ts";
import { ReportDetails } from "./ReportDetails.tsx";
import "./NoticeBanner.css";

/** An open error, a link that waits for its trace, or a mismatch: what happened and what to do. */
export function NoticeBanner() {
  const notice = useApp((s) => s.notice);
  const { dismissNotice, applyPendingLink } = useActions();
  if (!notice) return null;
  return (
    <section className={`notice ${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"} aria-label={notice.title}>
      <div>
        <strong>{notice.title}</strong>
        <p>{notice.text}</p>
        <ReportDetails details={notice.details} />
      </div>
      <div className="notice-actions">
        {notice.actions.includes("apply-link") && (
          <button type="button" onClick={() => void applyPendingLink()}>
            Apply the view anyway
          </button>
        )}
        <button type="button" onClick={dismissNotice}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
