import { useViewOnly } from "../session/hooks.ts";
import "./view-only.css";

/** In the room's header while this page may only read: a view token, or access the host's backend took down to view. */
export function ViewOnlyPill() {
  return useViewOnly() ? (
    <span className="view-only-pill" title="You can read this room, not change it">
      View only
    </span>
  ) : null;
}
