import { useConnectionState, useViewOnly } from "../session/hooks.ts";
import "./view-only.css";

/**
 * In the room's header while this page may only read: a view token, or access
 * the host's backend took down to view. Once the room turned the page away,
 * the refusal banner says more, so the pill steps aside.
 */
export function ViewOnlyPill() {
  const viewOnly = useViewOnly();
  const refused = useConnectionState((s) => s.status === "error");
  return viewOnly && !refused ? (
    <span className="view-only-pill" title="You can read this room, not change it">
      View only
    </span>
  ) : null;
}
