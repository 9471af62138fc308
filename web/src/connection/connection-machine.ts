/**
 * The connection's state machine as one pure function: every status change
 * of a `RoomConnection` goes through `next`, so the drawing below and the
 * code cannot drift apart (the unit tests walk every cell of the table).
 *
 *   connecting ──socket-open──▶ handshaking ──sync-complete──▶ synced
 *        ▲                           │                           │
 *        └─ reconnect ◀── offline ◀──┴────── socket-closed ──────┘
 *   any ── refused (fatal close, or crowded `LIMITS.crowdedAttempts` times) ──▶ error
 *   any ── retry ("Try again", or the crowded timer) ──▶ connecting
 *   connecting ── token-unreachable (a held page cannot fetch its token) ──▶ offline
 */
export type ConnectionStatus = "connecting" | "handshaking" | "synced" | "offline" | "error";

export type ConnectionEvent =
  /** The WebSocket opened: hello and sync step 1 go out. */
  | "socket-open"
  /** The room's sync step 2 arrived: the document is in step with the room. */
  | "sync-complete"
  /** The socket closed with a code worth retrying; partysocket retries with backoff. */
  | "socket-closed"
  /** The room turned this page away (a fatal close code, or too many crowded ones in a row). */
  | "refused"
  /** The page opens a new socket now (online again, tab shown, a failed send) instead of waiting. */
  | "reconnect"
  /** The person (or the crowded timer) asks to try again after a refusal. */
  | "retry"
  /** A page held for its first token could not reach the token endpoint: no socket will close to say so. */
  | "token-unreachable";

export const CONNECTION_STATUSES: readonly ConnectionStatus[] = [
  "connecting",
  "handshaking",
  "synced",
  "offline",
  "error",
];

export const CONNECTION_EVENTS: readonly ConnectionEvent[] = [
  "socket-open",
  "sync-complete",
  "socket-closed",
  "refused",
  "reconnect",
  "retry",
  "token-unreachable",
];

/** The status after `event`; an event that means nothing in `status` leaves it as it is. */
export function next(status: ConnectionStatus, event: ConnectionEvent): ConnectionStatus {
  switch (event) {
    // Any open socket starts a handshake, even one whose predecessor's close went unreported.
    case "socket-open":
      return "handshaking";
    // Only a socket in its handshake (or a repeat on a synced one) gets a sync step 2.
    case "sync-complete":
      return status === "handshaking" || status === "synced" ? "synced" : status;
    // A close after a refusal is the next attempt's (a new token's socket) and is retried like any other.
    case "socket-closed":
      return "offline";
    case "refused":
      return "error";
    // Only a page waiting between attempts shows that one is under way; a refused page stays
    // refused until its new socket opens (a fresh token), so the refusal is not reported twice.
    case "reconnect":
      return status === "offline" ? "connecting" : status;
    case "retry":
      return "connecting";
    case "token-unreachable":
      return status === "connecting" ? "offline" : status;
  }
}
