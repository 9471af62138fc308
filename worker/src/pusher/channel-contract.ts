/**
 * How the parts of Edgeroom's Pusher Channels server talk to one another
 * (docs/pusher.md). A client's Pusher socket ends in the Worker
 * (connection/), which multiplexes it: for each channel it subscribes to,
 * the Worker opens one internal WebSocket to that channel's Durable Object
 * (`PusherChannel`, one per channel name, hibernating). The channel object
 * holds those internal sockets, so a fan-out is one send per subscriber and
 * an idle channel sleeps. Durable Objects are not reachable from outside the
 * Worker, so what the Worker says on an internal socket (who subscribed, as
 * which user) is trusted; everything a client sent was checked before that.
 */

/** The internal subscribe request: `GET` with `Upgrade: websocket` to the channel's object, at this path. */
export const CHANNEL_SUBSCRIBE_PATH = "/pusher/subscribe";
/** Header carrying the `Subscriber` (JSON) on that request. */
export const SUBSCRIBER_HEADER = "x-edgeroom-pusher-subscriber";

/** Who subscribes, as the Worker verified it (signature checked, channel_data parsed and bounded). */
export interface Subscriber {
  channel: string;
  /** Pusher's `<digits>.<digits>` socket id of the client's connection. */
  socketId: string;
  /** Presence channels: `channel_data.user_id`. `#server-to-user-<id>`: the signed-in user's id. */
  userId?: string;
  /** Presence channels: `channel_data.user_info` (JSON, bounded). */
  userInfo?: unknown;
  /** The signed-in user (`pusher:signin`), when there is one, for `client_event` webhooks and terminate. */
  signedInUserId?: string;
}

/**
 * Frames from the channel object on an internal socket are Pusher frames
 * (JSON text) the Worker forwards to its client as they are, except the
 * control frames below, whose event starts with this prefix and which are
 * never forwarded.
 */
export const INTERNAL_EVENT_PREFIX = "edgeroom_internal:";
/** Control: close the client's whole connection with 4009 (the HTTP API's terminate_connections). */
export const TERMINATE_EVENT = "edgeroom_internal:terminate";

/**
 * Frames from the Worker on an internal socket: a client event the Worker
 * has already validated (name `client-…`, size, rate limit, channel kind).
 * The channel relays it to every other subscriber.
 */
export interface ClientEventFrame {
  event: string;
  /** The event's data exactly as the client sent it (Pusher relays data as a string or JSON value). */
  data: unknown;
}

/** One event the server publishes (HTTP API, bridge): data is a string, as Pusher's HTTP API requires. */
export interface PublishedEvent {
  event: string;
  data: string;
  /** Leave out this socket (the HTTP API's `socket_id`). */
  exceptSocketId?: string;
}

/** A presence member: `user_id` and `user_info` as Pusher sends them. */
export interface PresenceMember {
  user_id: string;
  user_info?: unknown;
}

/** What the HTTP API reads of a channel (`GET /apps/<id>/channels/<name>`). */
export interface ChannelInfo {
  occupied: boolean;
  subscription_count: number;
  /** Presence channels only: distinct users (Pusher subscribers and, for bridged channels, room people). */
  user_count?: number;
}

/** The channel object's RPC methods (`env.PusherChannel.getByName(name)`). */
export interface ChannelRpc {
  /** Sends each event to every subscriber (less `exceptSocketId`); returns how many sockets it reached. */
  publish(events: PublishedEvent[]): Promise<number>;
  info(): Promise<ChannelInfo>;
  /** Presence channels: the distinct user ids. */
  users(): Promise<string[]>;
  /** `#server-to-user-<id>` channels: every connection signed in as that user closes with 4009. */
  terminate(): Promise<number>;
  /**
   * Bridged presence channels (`presence-edgeroom-<room>`): the Edgeroom room's people, replacing the
   * previous list; the channel sends member_added / member_removed for the difference (once per user id,
   * counting its Pusher subscribers too). Stored, so it survives hibernation.
   */
  setRoomMembers(members: PresenceMember[]): Promise<void>;
}

/**
 * What a channel tells the rest of the app about itself: webhooks
 * (channel_occupied, channel_vacated, member_added, member_removed,
 * client_event) and the directory of occupied channels the HTTP API lists.
 * Implemented in webhooks/ and directory/; must be hibernation-safe (state
 * in the channel object's SQLite storage).
 */
export interface ChannelHooks {
  occupied(): void;
  vacated(): void;
  memberAdded(userId: string): void;
  memberRemoved(userId: string): void;
  clientEvent(event: { event: string; data: unknown; socketId: string; userId?: string }): void;
  /** The channel object's alarm: deliver what is due. */
  alarm(): Promise<void>;
}

/**
 * The bridge (bridge/): `presence-edgeroom-<room>` and `private-edgeroom-<room>`.
 * When such a channel becomes occupied or vacated, the channel object calls
 * `env.Room.getByName(room).pusherBridge(channel, occupied)`; while the
 * bridge is on, the room pushes its people (`setRoomMembers`) and its chat
 * messages and custom events (`publish`) to the channel.
 */
export interface RoomBridgeRpc {
  pusherBridge(channel: string, occupied: boolean): Promise<void>;
}
