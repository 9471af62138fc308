/**
 * Size limits both sides enforce. The server is the authority; the client
 * checks the same numbers first so a user sees a clear error before sending.
 */
export const LIMITS = {
  /** Largest WebSocket frame the room accepts (binary or text). */
  maxFrameBytes: 2 * 1024 * 1024,
  /**
   * Largest frame a client accepts from the room: a first sync or a saved
   * version carries a whole document, so this is well above the document cap.
   */
  maxServerFrameBytes: 16 * 1024 * 1024,
  /**
   * Largest encoded document. Yjs needs roughly 10–20× the encoded size in
   * heap and an object has 128 MB, so one room stays well below that.
   */
  maxDocumentBytes: 4 * 1024 * 1024,
  /** Largest JSON state one awareness client may publish. */
  maxAwarenessStateBytes: 4 * 1024,
  /** Awareness client ids one socket may control (a tab normally has one). */
  maxAwarenessClientsPerSocket: 4,
  /** Display names, in characters. */
  maxNameLength: 40,
  /** Chat message text, in characters (UTF-16 code units). */
  maxChatMessageLength: 2000,
  /** Messages a new client gets on join, and per "Load earlier messages". */
  chatPageSize: 50,
  /** Messages per page when a reconnecting client catches up with `after`. */
  chatCatchUpPageSize: 200,
  /** A typing indicator disappears this long after its last renewal, whatever else happens. */
  typingTtlMs: 5000,
  /** How often a typing client renews its lease. */
  typingRenewMs: 2000,
  /** The room sends each recipient at most one batch of pointer moves per tick. */
  pointerTickMs: 50,
  /** A client sends its pointer at most this often with others in the room (about 30/s)… */
  pointerIntervalWithPeersMs: 33,
  /** …and this often when alone (1/s), and not at all while the pointer is still. */
  pointerIntervalAloneMs: 1000,
  /** Clients send a heartbeat this often; the room answers it without waking up. */
  heartbeatIntervalMs: 5000,
  /** A socket silent for this long is treated as dead and removed from presence. */
  heartbeatTimeoutMs: 15000,
  /** How often the room checks for dead sockets while anyone is connected. */
  heartbeatSweepMs: 10000,
  /**
   * The client warns once a document passes this share of `maxDocumentBytes`,
   * well before edits are refused.
   */
  documentWarnRatio: 0.8,
  /** A snapshot goes to R2 this long after the last edit… */
  snapshotQuietMs: 2_000,
  /** …and at most this long after the first unsaved edit while edits continue. */
  snapshotMaxDelayMs: 10_000,
  /** Never two snapshots of a room closer than this (R2 allows about one write per second per key). */
  snapshotMinGapMs: 1_000,
  /** Every snapshot this recent is kept; older ones are thinned to one per hour. */
  snapshotsKeptInFull: 30,
  /** The most versions a room keeps in R2. */
  maxSnapshotVersions: 200,
  /** Room names in URLs: letters, digits, `-` and `_`. */
  maxRoomIdLength: 64,
} as const;

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

export function isValidRoomId(id: string): boolean {
  return id.length > 0 && id.length <= LIMITS.maxRoomIdLength && ROOM_ID_PATTERN.test(id);
}
