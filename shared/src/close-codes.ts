/**
 * Application close codes (4000–4999). A fatal code tells the client that
 * retrying cannot help, so it stops reconnecting and shows the reason.
 */
export const CloseCode = {
  /** The standard normal closure: the page left the room or replaced its socket. */
  normal: 1000,
  /** Sent by the client, not the room: the browser said it went offline, so the page dropped its socket. */
  clientOffline: 4000,
  /** The client speaks a protocol version this server does not. */
  versionMismatch: 4001,
  /** The client kept sending frames that could not be parsed. */
  badFrames: 4002,
  /** Room name is not allowed. */
  invalidRoom: 4004,
  /** The room is at capacity. */
  roomFull: 4005,
  /** This person already holds `LIMITS.maxSocketsPerPerson` sockets in the room. */
  tooManySockets: 4006,
  /** No heartbeat for too long: the room took the socket for dead (the client reconnects). */
  heartbeatTimeout: 4008,
  /** The socket kept sending over its rate limits (see `LIMITS.overBudgetStrikes`). */
  tooManyMessages: 4029,
  /** The room token is forged, malformed, for another room, or the server has no secret to check it. */
  tokenInvalid: 4401,
  /** The room token has expired: an embed asks its host for a new one. */
  tokenExpired: 4402,
  /** The room is private and the connection brought no token. */
  tokenRequired: 4403,
  /** The host's backend took this person's access back (`POST /api/v1/rooms/:room/revoke`). */
  accessRevoked: 4405,
  /**
   * The room was deleted (`DELETE /api/v1/rooms/:room`): the client drops its
   * copy (its device copy included) instead of syncing it back.
   */
  roomDeleted: 4410,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const CLOSE_REASONS: Record<CloseCode, { reason: string; fatal: boolean }> = {
  [CloseCode.normal]: { reason: "Left the room.", fatal: false },
  [CloseCode.clientOffline]: { reason: "The browser went offline.", fatal: false },
  [CloseCode.versionMismatch]: {
    reason: "This page is out of date. Reload to get the new version.",
    fatal: true,
  },
  [CloseCode.badFrames]: { reason: "Too many malformed messages.", fatal: true },
  [CloseCode.invalidRoom]: { reason: "That room name is not valid.", fatal: true },
  [CloseCode.roomFull]: { reason: "This room is full.", fatal: false },
  // Not fatal: closing another tab frees a place, and the retry then gets in.
  [CloseCode.tooManySockets]: { reason: "This room is open in too many of your tabs.", fatal: false },
  [CloseCode.heartbeatTimeout]: { reason: "The connection went quiet.", fatal: false },
  // Not fatal: budgets refill within seconds, so a client that flooded once (a runaway
  // paste, a bug) recovers by reconnecting with backoff instead of being stranded.
  [CloseCode.tooManyMessages]: { reason: "Too many messages; slow down.", fatal: false },
  [CloseCode.tokenInvalid]: { reason: "Your invitation to this room is not valid.", fatal: true },
  [CloseCode.tokenExpired]: { reason: "Your invitation to this room has expired.", fatal: true },
  [CloseCode.tokenRequired]: { reason: "This room is private: it needs an invitation.", fatal: true },
  [CloseCode.accessRevoked]: { reason: "Your access to this room was taken back.", fatal: true },
  [CloseCode.roomDeleted]: { reason: "This room was deleted.", fatal: true },
};

export function isCloseCode(code: number): code is CloseCode {
  return Object.hasOwn(CLOSE_REASONS, code);
}

/** A close code from the wire (`CloseEvent.code`, any number), read against the table. */
export interface CloseDescription {
  code: CloseCode;
  reason: string;
  fatal: boolean;
}

export function describeClose(code: number): CloseDescription | undefined {
  return isCloseCode(code) ? { code, ...CLOSE_REASONS[code] } : undefined;
}
