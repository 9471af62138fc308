import type { RoomConnection } from "../connection/room-connection.ts";
import { unsavedChanges } from "../connection/save-tracker.ts";
import { useConnectionState } from "../connection/use-room.ts";

/**
 * "All changes saved" only when the room has acknowledged storing every local
 * change. A live region rather than role="status": the connection badge is the
 * page's one status, and tests and screen readers find it by that role.
 */
export function SaveStatus({ connection }: { connection: RoomConnection }) {
  const unsaved = useConnectionState(connection, (s) => unsavedChanges(s.saves));
  const refused = useConnectionState(connection, (s) => s.saves.refused);
  const online = useConnectionState(connection, (s) => s.status === "synced" || s.status === "handshaking");

  let label: string;
  let tone: "saved" | "saving" | "unsaved";
  if (unsaved === 0) {
    label = "All changes saved";
    tone = "saved";
  } else if (refused > 0) {
    label = "Not saved — see the message below";
    tone = "unsaved";
  } else if (online) {
    label = "Saving…";
    tone = "saving";
  } else {
    label = `Offline — ${unsaved} ${unsaved === 1 ? "change" : "changes"} not yet saved`;
    tone = "unsaved";
  }
  return (
    <p className={`save-status save-${tone}`} aria-live="polite" aria-atomic="true" data-testid="save-status">
      {label}
    </p>
  );
}
