/**
 * The bounds of Edgeroom's Pusher server: Pusher's own published limits
 * where it has them (message size, client event rate, presence members,
 * user_info size, channel names), and Edgeroom's where it does not (channels
 * per connection, user data, user ids), so no client can make the server
 * hold or do unbounded work.
 */
export const PUSHER_LIMITS = {
  /** Largest frame a client may send, and largest event data the server relays (Pusher: 10 KB). */
  maxMessageBytes: 10 * 1024,
  /** Client events per second per connection (Pusher: 10); a burst of this many is allowed. */
  clientEventsPerSecond: 10,
  /** Distinct users on one presence channel (Pusher: 100). */
  maxPresenceMembers: 100,
  /** A presence member's `user_info`, as JSON (Pusher: 1 KB). */
  maxUserInfoBytes: 1024,
  /** A presence `user_id` or a signed-in user's `id`, in characters. */
  maxUserIdLength: 128,
  /** A signed-in user's `user_data` (JSON text), in bytes. */
  maxUserDataBytes: 4 * 1024,
  /** Channel names, in characters (Pusher: 200). */
  maxChannelNameLength: 200,
  /** Channels one connection may be subscribed to at once. */
  maxChannelsPerConnection: 100,
  /** Client event names, in characters (Pusher: 200). */
  maxEventNameLength: 200,
  /** Seconds of silence after which a client pings (sent in `pusher:connection_established`). */
  activityTimeoutSeconds: 120,
} as const;

/** The protocol version this server speaks (pusher-js 8 sends `protocol=7`). */
export const PUSHER_PROTOCOL_VERSION = 7;
