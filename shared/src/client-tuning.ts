/**
 * The browser client's own timing and sizing: how it paces reconnects, when a
 * person counts as idle, how long small notices stay. Unlike `LIMITS` the
 * room never checks these; they live beside it so every number has one home.
 */
export const CLIENT_TUNING = {
  /** Presence turns "idle" after this long without input: long enough to read, short enough to mean something. */
  idleAfterMs: 60_000,
  /** First reconnect delay in a visible tab: quick, since someone is looking at "Offline". */
  visibleRetryMinMs: 1_000,
  /** First reconnect delay in a hidden tab: nobody is looking, so background tabs do not storm the room. */
  hiddenRetryMinMs: 5_000,
  /** Longest reconnect delay in a visible tab, so an outage ends for the reader within seconds of the room's return. */
  visibleRetryMaxMs: 10_000,
  /** Each failed attempt waits this much longer than the last (partysocket's exponential backoff). */
  retryGrowFactor: 1.5,
  /** Delays are scaled by a random factor from this to this + 1, so a room's clients do not return in one instant. */
  retryJitterFloor: 0.5,
  /** Typing counts as stopped this long after the lease's renewal period passes without a keystroke. */
  typingIdleGraceMs: 1_000,
  /** Random bytes in a new room id: 128 bits, unguessable, 22 base64url characters. */
  roomIdBytes: 16,
  /** "Copied" stays on a copy button this long: enough to be noticed, not long enough to mislead. */
  copiedNoticeMs: 2_000,
  /** A download's object URL lives this long, so the browser has started reading it before it goes. */
  downloadUrlLifetimeMs: 10_000,
  /** The chat keeps following new messages while the reader is within this many pixels of the bottom. */
  chatPinnedSlackPx: 40,
  /** The composer shows a character count once a message is this close to the length limit. */
  chatCountdownChars: 200,
  /** A caret's name label stays this long after its person last typed or moved it, then folds to a flag. */
  caretLabelShownMs: 2_000,
  /** Faces the header shows before "+n": the rest are in the presence list. */
  avatarsShown: 4,
} as const;
