import type { ConnectionStatus } from "../connection/connection-store.ts";
import type { RoomConnection } from "../connection/room-connection.ts";
import { useConnectionState } from "../connection/use-room.ts";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  handshaking: "Syncing…",
  synced: "Synced",
  offline: "Offline — reconnecting",
  error: "Disconnected",
};

export function StatusBadge({ connection }: { connection: RoomConnection }) {
  const status = useConnectionState(connection, (s) => s.status);
  const closeReason = useConnectionState(connection, (s) => s.closeReason);
  const rejected = useConnectionState(connection, (s) => s.rejectedChangeMessage);
  return (
    <div role="status" className={`status status-${status}`} title={closeReason ?? rejected}>
      <span className="status-dot" aria-hidden="true" />
      {LABELS[status]}
      {status === "error" && closeReason ? `: ${closeReason}` : ""}
    </div>
  );
}
