import { ErrorCode, LIMITS } from "@edgeroom/shared";
import { useConnectionState } from "../session/hooks.ts";
import { formatBytes } from "../history/format.ts";

/** Warns well before the room's document size cap, and says plainly when a change was refused for it. */
export function SizeWarning() {
  const docBytes = useConnectionState((s) => s.docBytes);
  const refusal = useConnectionState((s) => s.refusal);
  const cap = formatBytes(LIMITS.maxDocumentBytes);

  if (refusal?.code === ErrorCode.documentTooLarge) {
    return (
      <div className="banner banner-error" role="alert">
        <strong>Your last change was not saved.</strong> It would make the document larger than its {cap}{" "}
        limit, so the room refused it. It is still on your screen, but nobody else sees it and it will be lost
        when you leave. Remove some text (or undo the change) and reload the page to get back in sync.
      </div>
    );
  }
  if (docBytes === undefined || docBytes < LIMITS.documentWarnRatio * LIMITS.maxDocumentBytes) return null;
  const percent = Math.floor((docBytes / LIMITS.maxDocumentBytes) * 100);
  return (
    // A polite live region, not role="status": the connection badge is the page's one status.
    <section className="banner banner-warn" aria-label="Document size warning" aria-live="polite">
      This document is at {percent}% of its {cap} limit. Past the limit, new changes are refused; consider
      moving some of it to another room.
    </section>
  );
}
