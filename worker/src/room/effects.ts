/**
 * What the room logic asks its host to do. The logic decides; the Durable
 * Object shell (durable/room-server.ts) carries each effect out, in order,
 * and feeds the results of slow ones (reading a version, saving a snapshot)
 * back in as events. Nothing here names a socket object or a Workers API:
 * sockets are ids, frames are bytes or app-lane messages.
 */
import { CLOSE_REASONS, type CloseCode, type ServerAppMessage, type WebhookEvent } from "@edgeroom/shared";
import type { Outbound, PeerState, Reaction } from "./reaction.ts";

export type SocketId = string;

/** A binary frame (document lane) or an app-lane message (sent as JSON text). */
export type Frame = Uint8Array | ServerAppMessage;

export type Effect =
  /** One frame to one socket (dropped if it is no longer open). */
  | { kind: "send"; socket: SocketId; frame: Frame }
  /** One frame to every open socket but `except`; `app` reaches only sockets that said hello. */
  | { kind: "broadcast"; lane: "all" | "app"; frame: Frame; except?: SocketId }
  | { kind: "close"; socket: SocketId; code: CloseCode; reason: string }
  /**
   * Close from this side and handle the socket as gone at once (its close
   * frame may take a while, and everyone else should see it leave now).
   */
  | { kind: "evict"; socket: SocketId; code: CloseCode }
  /** Keep this state in the socket's attachment, where it survives hibernation. */
  | { kind: "set-peer"; socket: SocketId; peer: PeerState }
  /** Have the one alarm go off by `at` (sooner if it is already set sooner). */
  | { kind: "wake-by"; at: number }
  /** The document changed: a snapshot is due, naming `editor`. */
  | { kind: "note-edit"; editor: string }
  /** The room turned private: the next snapshot must carry that, edits or not. */
  | { kind: "note-access-change" }
  /** The last socket left: write the pending snapshot as soon as allowed. */
  | { kind: "flush-snapshot-soon" }
  /** Write a snapshot if one is due; a saved one comes back as `versionsSaved`. */
  | { kind: "save-snapshot" }
  /**
   * Set the one alarm to the soonest of: `sweepAfterMs` from when the host
   * carries this out (after the alarm's own work, so a room whose sockets
   * are idle has more than the runtime's idle time between wakes and can
   * hibernate), `tokenExpiresAt`, and the next snapshot's due time; none when
   * none exists.
   */
  | { kind: "plan-alarm"; sweepAfterMs: number | undefined; tokenExpiresAt: number | undefined }
  /** Read a saved version's text; the answer comes back as `versionRead`. */
  | { kind: "read-version"; socket: SocketId; at: number }
  /** A sweep for dead sockets is due: call `sweep` with every open socket and its last heartbeat. */
  | { kind: "sweep" }
  /** The socket asked to check in left: call `askCheckIn` with every open socket and its last heartbeat. */
  | { kind: "ask-check-in" }
  /** Pointer moves are waiting: call `pointerTick` once, `afterMs` from now. */
  | { kind: "flush-pointers"; afterMs: number }
  /**
   * Something the host's backend may want to hear of: into the durable
   * webhook outbox (stored with the room's id and the time), delivered by the
   * alarm. Dropped when no `WEBHOOK_URL` is set.
   */
  | { kind: "webhook"; event: WebhookEvent };

/** The effects that only touch the room's storage and its alarm. */
export type StorageEffect = Extract<
  Effect,
  { kind: "wake-by" | "note-edit" | "note-access-change" | "flush-snapshot-soon" | "plan-alarm" | "webhook" }
>;

/** An open socket as the host sees it: its id, its attachment, and (for the alarm) its last heartbeat. */
export interface RoomSocket {
  id: SocketId;
  peer: PeerState;
  /** When workerd last answered its heartbeat (epoch ms), if ever. */
  lastHeartbeat?: number | undefined;
}

/** The frame handlers' reaction to one socket's event, as effects. */
export function reactionEffects(socket: SocketId, reaction: Reaction): Effect[] {
  const effects: Effect[] = [];
  if (reaction.peer) effects.push({ kind: "set-peer", socket, peer: reaction.peer });
  for (const item of reaction.out) effects.push(outboundEffect(socket, item));
  for (const event of reaction.webhooks ?? []) effects.push({ kind: "webhook", event });
  return effects;
}

function outboundEffect(socket: SocketId, item: Outbound): Effect {
  if ("close" in item) return { kind: "close", socket, ...item.close };
  const frame = "app" in item ? item.app : item.binary;
  if (item.to === "sender") return { kind: "send", socket, frame };
  return { kind: "broadcast", lane: "app" in item ? "app" : "all", frame, except: socket };
}

/**
 * A reaction to something the host's backend did (no socket sent it): what
 * was for "others" goes to every socket, what was for the "sender" is the
 * answer to the caller.
 */
export function serverReactionEffects(reaction: Reaction): {
  effects: Effect[];
  replies: ServerAppMessage[];
} {
  const effects: Effect[] = [];
  const replies: ServerAppMessage[] = [];
  for (const item of reaction.out) {
    if ("close" in item) continue;
    if (item.to === "sender") {
      if ("app" in item) replies.push(item.app);
    } else if ("app" in item) effects.push({ kind: "broadcast", lane: "app", frame: item.app });
    else effects.push({ kind: "broadcast", lane: "all", frame: item.binary });
  }
  for (const event of reaction.webhooks ?? []) effects.push({ kind: "webhook", event });
  return { effects, replies };
}

/** Closes a socket with the shared table's reason for `code`. */
export function closeSocket(socket: SocketId, code: CloseCode): Effect {
  return { kind: "close", socket, code, reason: CLOSE_REASONS[code].reason };
}
