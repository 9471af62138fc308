/**
 * Pusher's close codes and error codes (pusher.com/docs/channels/library_auth_reference/pusher-websockets-protocol).
 * The ranges tell a client what to do: 4000–4099 do not reconnect, 4100–4199
 * reconnect after backing off, 4200–4299 reconnect at once. pusher-js acts on
 * these ranges, so each refusal must use the code whose range fits it.
 */
export const PusherCloseCode = {
  /** The key in `/app/<key>` is not this server's app. */
  appDoesNotExist: 4001,
  /** The path is not `/app/<key>`. */
  pathNotFound: 4005,
  /** `protocol` is not a version this server speaks. */
  unsupportedProtocolVersion: 4007,
  /** No `protocol` in the query. */
  noProtocolVersion: 4008,
  /** The connection was terminated (the HTTP API's terminate_connections). */
  unauthorized: 4009,
  /** The server is over capacity: back off, then retry. */
  overCapacity: 4100,
  /** Reconnect now (e.g. an internal channel link broke). */
  reconnect: 4200,
  /** The client did not answer a ping in time. */
  pongNotReceived: 4201,
  /** Closed after inactivity. */
  closedAfterInactivity: 4202,
} as const;
export type PusherCloseCode = (typeof PusherCloseCode)[keyof typeof PusherCloseCode];

/**
 * Codes in `pusher:error` frames that do not close the connection. Pusher
 * defines one (the client event rate limit); its other errors after the
 * handshake carry `code: null` and say what went wrong in `message`.
 */
export const PusherErrorCode = {
  /** A client event over the rate limit was dropped. */
  clientEventRateLimit: 4301,
} as const;
export type PusherErrorCode = (typeof PusherErrorCode)[keyof typeof PusherErrorCode];
