import type { ConnectionStatus } from "../connection/connection-store.ts";
import { useConnectionState } from "../session/hooks.ts";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  handshaking: "Syncing…",
  synced: "Synced",
  offline: "Offline — reconnecting",
  error: "Disconnected",
};

export function StatusBadge() {
  const status = useConnectionState((s) => s.status);
  const closeReason = useConnectionState((s) => s.closeReason);
  const rejected = useConnectionState((s) => s.rejectedChangeMessage);
  return (
    <div role="status" className={`status status-${status}`} title={closeReason ?? rejected}>
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label">
        {LABELS[status]}
        {status === "error" && closeReason ? `: ${closeReason}` : ""}
      </span>
    </div>
  );
}
