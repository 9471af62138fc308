import { CloseCode } from "@edgeroom/shared";
import { savedState, unsavedChanges } from "../connection/save-tracker.ts";
import { useConnectionState } from "../session/hooks.ts";

/**
 * Where the local changes are: "All changes saved" only when the room has
 * acknowledged storing every one; "Saved on this device" when the rest are in
 * IndexedDB and go out with the next sync; a count of unsaved changes only
 * when they exist nowhere but this page. A live region rather than
 * role="status": the connection badge is the page's one status, and tests and
 * screen readers find it by that role.
 */
export function SaveStatus() {
  const unsaved = useConnectionState((s) => unsavedChanges(s.saves));
  const refused = useConnectionState((s) => s.saves.refused);
  const where = useConnectionState((s) => savedState(s.saves, s.device));
  const status = useConnectionState((s) => s.status);
  const online = status === "synced" || status === "handshaking";
  const deleted = useConnectionState((s) => s.closeCode === CloseCode.roomDeleted);

  let label: string;
  let tone: "saved" | "saving" | "unsaved";
  if (deleted) {
    // Nothing is saved anywhere any more, and nothing will be: the page dropped its copy on purpose.
    label = "Room deleted";
    tone = "unsaved";
  } else if (unsaved === 0) {
    label = "All changes saved";
    tone = "saved";
  } else if (status === "error") {
    // The room turned us away: these changes cannot be sent from this page, so say where they stay.
    label = where === "on-device" ? "Not sent — kept on this device" : "Not sent — the room refused them";
    tone = "unsaved";
  } else if (refused > 0) {
    label = "Not saved — see the message below";
    tone = "unsaved";
  } else if (online) {
    label = "Saving…";
    tone = "saving";
  } else if (where === "on-device") {
    label = "Saved on this device — will sync when online";
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
