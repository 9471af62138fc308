/**
 * What the room logic needs to answer the host's backend (the HTTP API)
 * besides its own parts: the peer a server write acts as, how a refused
 * update maps to an API error, and the people in the room as the API lists them.
 */
import {
  ApiErrorCode,
  ErrorCode,
  readAwarenessStateJson,
  readPresenceStatus,
  type Person,
  type PresenceStatus,
  type ServerAppMessage,
} from "@edgeroom/shared";
import type { ApiOutcome } from "../api/room-api.ts";
import { awarenessUserOf } from "./editor-name.ts";
import type { RoomSocket } from "./effects.ts";
import type { PeerState } from "./reaction.ts";

/** The name versions list for changes made through the API. */
export const SERVER_EDITOR = "API";

/** A bot's chat colour when the backend names none (and the API's own, where a colour is needed). */
export const BOT_COLOR = "#5c6370";

/**
 * The peer a server write acts as: on the app lane, so a refusal comes back
 * by name. (Its updates are bounded like a first sync: see `receiveServerUpdate`.)
 */
export const SERVER_PEER: PeerState = {
  appLane: true,
  awareness: [],
  user: { name: SERVER_EDITOR, color: BOT_COLOR },
};

const REFUSALS: Partial<Record<ErrorCode, ApiErrorCode>> = {
  [ErrorCode.documentTooLarge]: ApiErrorCode.documentTooLarge,
  [ErrorCode.tooCostly]: ApiErrorCode.tooCostly,
};

/** The answer to a server update, read from the room's reply to it (`doc-ack` or `doc-reject`). */
export function updateOutcome(
  replies: readonly ServerAppMessage[],
  documentBytes: number,
): ApiOutcome<{ documentBytes: number }> {
  const reject = replies.find((r) => r.type === "doc-reject");
  if (!reject) return { ok: true, value: { documentBytes } };
  const message =
    reject.code === ErrorCode.missingDependencies
      ? "the update depends on changes the room does not have (send a whole-state update, or one based on GET …/document?format=yjs)"
      : reject.message;
  return { ok: false, code: REFUSALS[reject.code] ?? ApiErrorCode.badRequest, message };
}

const STATUS_ORDER: PresenceStatus[] = ["active", "idle", "away"];

/** One entry per person (a token's `sub`, or an anonymous browser's public id), however many sockets they hold. */
export function peopleOf(open: readonly RoomSocket[]): Person[] {
  const people = new Map<string, Person>();
  for (const { peer } of open) {
    if (!peer.person) continue;
    const seen = people.get(peer.person);
    const status = socketStatus(peer);
    if (seen) {
      seen.sockets += 1;
      // The most present of a person's tabs speaks for them.
      if (STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(seen.status)) seen.status = status;
      continue;
    }
    const user = peer.user ?? awarenessUserOf(peer);
    people.set(peer.person, {
      id: peer.person,
      name: user?.name ?? "Someone",
      color: user?.color ?? BOT_COLOR,
      status,
      sockets: 1,
    });
  }
  return [...people.values()];
}

function socketStatus(peer: PeerState): PresenceStatus {
  const entry = peer.awareness[0];
  return entry ? readPresenceStatus(readAwarenessStateJson(entry.stateJson)) : "active";
}
