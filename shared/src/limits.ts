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
  /** The room merges its update log into one state once it holds this many updates (and whenever it empties): loading stays one merge. */
  compactAfterUpdates: 500,
  /**
   * …or once the log holds this many bytes (a pasted chapter, a whole document handed over in a first
   * sync): compaction also stores the state's summary, from which a woken room answers a reader.
   */
  compactAfterLogBytes: 256 * 1024,
  /** A stored document state is split into rows of this size, well under the 2 MB row limit of Durable Object SQLite. */
  storedChunkBytes: 512 * 1024,
  /** Largest JSON state one awareness client may publish. */
  maxAwarenessStateBytes: 4 * 1024,
  /** Awareness client ids one socket may control (a tab normally has one). */
  maxAwarenessClientsPerSocket: 4,
  /** Display names, in characters. */
  maxNameLength: 40,
  /** A room's name (its title, not its id), in characters (UTF-16 code units) after trimming. */
  maxRoomNameLength: 80,
  /** Chat message text, in characters (UTF-16 code units). */
  maxChatMessageLength: 2000,
  /**
   * A room keeps at most this many chat messages and this many bytes of chat
   * text; past either, the oldest are trimmed as new ones are stored, so a
   * crowd of chatty sockets cannot grow a room's storage without end.
   */
  maxChatMessagesPerRoom: 10_000,
  maxChatBytesPerRoom: 4 * 1024 * 1024,
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
  /**
   * How often the room checks for dead sockets while anyone is connected: on a socket's
   * `check-in` when one is asked for, else on the alarm…
   */
  heartbeatSweepMs: 10000,
  /**
   * …and behind them the alarm, this long after a sweep (each alarm is a billed request and setting
   * it a billed write): it matters only when both asked sockets vanished at once.
   */
  sweepFallbackMs: 300_000,
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
  /**
   * Bytes of custom metadata (keys and values) one snapshot carries. R2 refuses
   * a put past 2 KiB; the rest is margin for how the platform counts (local R2
   * counts 2 bytes a character once one is past Latin-1) and for keys added later.
   */
  snapshotMetadataBytes: 1536,
  /** At most this many of the latest editors are considered for a version's metadata (then cut to fit its bytes). */
  maxEditorsNamed: 20,
  /** A failed snapshot put is retried this much later, doubling with each failure in a row… */
  snapshotRetryMinMs: 5_000,
  /** …up to this, so a long R2 outage (or a put that can never succeed) costs a few tries an hour. */
  snapshotRetryMaxMs: 600_000,
  /** Room tokens are HS256-signed; a secret shorter than this many characters is refused as too weak. */
  minTokenSecretLength: 32,
  /** A room token rides in a request header, where 4 KiB is far above any honest token and far below header limits. */
  maxTokenLength: 4096,
  /** Room names in URLs: letters, digits, `-` and `_`. */
  maxRoomIdLength: 64,
  /**
   * Structs, deleted ranges and values one Yjs update (or state vector) may
   * hold. Decoding and applying cost 2–4 µs each, so this keeps one frame
   * well under 50 ms; typing sends a few per update.
   */
  maxUpdateEntries: 10_000,
  /**
   * The same bound for a socket's first sync step 2, which may carry a whole
   * document (a client that already holds it, a stock provider, an import):
   * a real editing trace has about 11,000 entries at 160 KB and 110,000 at
   * 1.6 MB. Allowed once per socket, so it costs the room at most one such
   * frame (well under a second) per connection.
   */
  maxSyncEntries: 200_000,
  /**
   * Highest Yjs clock (per client) an update may reach. No real client gets
   * near it, and other Yjs implementations (yrs) hold clocks in 32 bits.
   */
  maxClock: 2 ** 31 - 1,
  /**
   * Steps of Yjs's conflict loop (items walked past while placing concurrent
   * inserts) one update may cause, predicted before applying it. A step
   * costs 0.3–0.7 µs, so this keeps placing a frame's items to about 15–35
   * ms; an honest offline merge walks once per place it returns to.
   */
  maxIntegrationSteps: 50_000,
  /**
   * Document work per socket (structs + deleted ranges + predicted conflict
   * steps), as a token bucket that may go into debt: an update is read only
   * while the socket is not overdrawn, then charged in full, refused or not.
   * 10,000 units a second is about 10–30 ms of a room's time, so a socket
   * sending the costliest frames the other limits allow gets one through
   * every few seconds and a bystander's edit rarely waits behind one;
   * typing costs a few units a keystroke. A socket's first sync step 2 is
   * bounded on its own and not charged. Overdrawn: `rate-limited`.
   */
  integrationBudget: { perSecond: 10_000, burst: 20_000 },
  /**
   * Open sockets per room; one more is closed with `roomFull`. Set from the benchmark's bigger
   * rooms (bench/README.md): at 1,000 sockets an edit took about 200 ms (p99) to reach every
   * watcher on the 2-core bench machine, at 200 about 30 ms.
   */
  maxConnectionsPerRoom: 500,
  /**
   * Open sockets one person (a token's `sub`, or a browser's person id) may
   * hold in a room: enough for several tabs, too few for one person to fill it.
   */
  maxSocketsPerPerson: 8,
  /**
   * Token buckets per socket and lane: `perSecond` refill, `burst` capacity.
   * Every bucket refills completely within 10 s, the idle time after which
   * an object may hibernate, so keeping buckets in memory (a wake starts
   * them full) never lets anyone send more than an idle socket could.
   */
  rateLimits: {
    /** Binary sync frames: updates, sync steps. Typing sends up to ~20 a second. */
    document: { perSecond: 50, burst: 200 },
    /** Awareness, awareness queries and pointer moves (pointers alone are ~30 a second). */
    presence: { perSecond: 60, burst: 120 },
    /** Everything else on the app lane: hello, chat, typing, document checks. */
    app: { perSecond: 20, burst: 200 },
    /**
     * Version history requests: a version can hold a whole document, so a
     * socket may ask for ten at once and then about one a second (the
     * client waits for each answer before asking for the next).
     */
    history: { perSecond: 1, burst: 10 },
    /** Custom events (`event-send`): each one reaches everyone, so fewer than other app messages. */
    events: { perSecond: 10, burst: 30 },
  },
  /**
   * Frames dropped over budget, as a bucket: more than `burst` in a row, or
   * more than `perSecond` sustained, closes the socket with `tooManyMessages`.
   */
  overBudgetStrikes: { perSecond: 10, burst: 100 },
  /** Malformed frames, as a bucket: past it the socket is closed with `badFrames`. */
  malformedStrikes: { perSecond: 2, burst: 20 },
  /** A synced client compares its document's hash with the room's this often. */
  docCheckIntervalMs: 30_000,
  /** …but only every this many times (5 minutes) while the document is as the room last confirmed it. */
  docCheckIdleEvery: 10,
  /** After being told it was rate-limited, a client resends what was dropped this much later. */
  rateLimitRetryMs: 2_000,
  /** While its tab is hidden, an offline client retries about this often (jittered ±50%) instead of every few seconds. */
  hiddenRetryMs: 60_000,
  /** A page connects without its device copy if IndexedDB has not loaded it by then (a hung open must not keep it offline). */
  deviceLoadWaitMs: 3_000,
  /** "Room full" or "too many tabs" closes in a row before the page stops and says so (the first ones are often a passing crowd). */
  crowdedAttempts: 3,
  /** A page told the room is full tries again by itself this often (a person can also press "Try again"). */
  crowdedRetryMs: 30_000,
  /** A failed send starts a new connection at once, but not more often than this (a send per keystroke must not churn sockets). */
  sendFailRetryGapMs: 1_000,
  /** An open page asks for a new app version this often (besides on each load), so long-lived tabs hear of deploys. */
  appUpdateCheckMs: 60 * 60_000,
  /** The room page renews its room token this long before `exp` (at most a quarter of what is left), so no socket lapses. */
  roomTokenRenewLeadMs: 60_000,
  /** The room page asks its token endpoint at most this often, so an endpoint handing out expired tokens is not hammered. */
  roomTokenMinIntervalMs: 5_000,
  /** While its token endpoint is unreachable, the room page asks again this often (and at once on `online`). */
  roomTokenRetryMs: 15_000,
  /** A custom event's `data`, as JSON, in bytes (from a socket or the HTTP API). */
  maxCustomEventBytes: 4 * 1024,
  /**
   * Custom event bytes (as JSON) the whole room relays from its sockets: each
   * event goes to everyone, so the room bounds what a crowd of senders sends
   * together, not only each sender. Past it: `error` `rate-limited`, nothing relayed.
   */
  roomEventBytes: { perSecond: 32 * 1024, burst: 128 * 1024 },
  /** A custom event's `type`, in characters. */
  maxCustomEventTypeLength: 64,
  /** Largest HTTP API request body (a Yjs update or a JSON document write), like the largest frame. */
  maxApiBodyBytes: 2 * 1024 * 1024,
  /** Chat messages per page of `GET /api/v1/rooms/:room/chat` (and its default `limit`). */
  apiChatPageMax: 200,
  /** Rooms per page of `GET /api/v1/rooms`. */
  apiRoomsPageSize: 100,
  /** Revocations a room remembers; past it the oldest are forgotten (their tokens have long expired). */
  maxRevocationsPerRoom: 10_000,
  /** Webhook events a room's outbox holds; past it the oldest are dropped and counted in the next delivery. */
  maxWebhookOutbox: 1_000,
  /** A failed webhook delivery is retried this much later, doubling with each failure in a row… */
  webhookRetryMinMs: 5_000,
  /** …up to this between tries… */
  webhookRetryMaxMs: 60 * 60_000,
  /** …and an event still undelivered this long after it happened is dropped (and counted). */
  webhookGiveUpMs: 24 * 60 * 60_000,
  /** One webhook request gives up after this long, so a hanging receiver costs the room one short wait per try. */
  webhookTimeoutMs: 10_000,
  /** A config or token request gives up after this long; the page then works from what it knew (or waits for `online`). */
  accessFetchTimeoutMs: 8_000,
} as const;
