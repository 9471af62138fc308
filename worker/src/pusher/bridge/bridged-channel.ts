/**
 * Which Pusher channels are bridges to Edgeroom rooms (docs/pusher.md):
 * `presence-edgeroom-<room>` lists the room's people as members and
 * `private-edgeroom-<room>` carries its chat messages and custom events.
 * Both need the app's signature to subscribe, so a Pusher client reaches a
 * room only where the host's own auth endpoint lets it. The room name must
 * be one Edgeroom accepts: addressing a room object creates it, so a name
 * that could never be a room must never get that far.
 */
import { isValidRoomId, LIMITS } from "@edgeroom/shared";

export const BRIDGE_PRESENCE_PREFIX = "presence-edgeroom-";
export const BRIDGE_PRIVATE_PREFIX = "private-edgeroom-";

/** The Pusher events `private-edgeroom-<room>` carries; `data` is a JSON string, as on any Pusher event. */
export const BRIDGE_EVENTS = {
  /** A chat message once the room has stored it: `{id, seq, at, author: {name, color, bot?}, text}`. */
  chat: "chat-message",
  /** A custom event as the room relayed it: `{type, data?, from}` (`from` as Edgeroom's `event` frame has it). */
  custom: "custom-event",
} as const;

export type BridgeKind = "presence" | "private";

export type BridgedChannel =
  | { ok: true; room: string; kind: BridgeKind }
  /** The channel has a bridge prefix but what follows is not a room name. */
  | { ok: false; message: string };

/** What the channel bridges to; undefined for channels that are not bridges. */
export function bridgedChannel(channel: string): BridgedChannel | undefined {
  const kind: BridgeKind | undefined = channel.startsWith(BRIDGE_PRESENCE_PREFIX)
    ? "presence"
    : channel.startsWith(BRIDGE_PRIVATE_PREFIX)
      ? "private"
      : undefined;
  if (!kind) return undefined;
  const room = channel.slice((kind === "presence" ? BRIDGE_PRESENCE_PREFIX : BRIDGE_PRIVATE_PREFIX).length);
  if (!isValidRoomId(room)) {
    return {
      ok: false,
      message: `${channel} is not a bridge to an Edgeroom room: room names are 1–${LIMITS.maxRoomIdLength} letters, digits, - and _.`,
    };
  }
  return { ok: true, room, kind };
}

/** The two channels that bridge to `room`. */
export function bridgeChannels(room: string): Record<BridgeKind, string> {
  return { presence: `${BRIDGE_PRESENCE_PREFIX}${room}`, private: `${BRIDGE_PRIVATE_PREFIX}${room}` };
}
