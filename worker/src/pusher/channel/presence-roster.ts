/**
 * A presence channel's members: every user once, whether they are here
 * through one Pusher socket, several, or as a person in the bridged Edgeroom
 * room. Pusher counts users, not sockets, so member_added goes out when a
 * user's first way in appears and member_removed when the last one goes.
 */
import type { PresenceSnapshot } from "@edgeroom/shared/pusher";
import type { PresenceMember, Subscriber } from "../channel-contract.ts";

export type Roster = Map<string, unknown>;

/** Room people first (the room knows their names), then Pusher subscribers, in arrival order. */
export function buildRoster(
  roomMembers: readonly PresenceMember[],
  subscribers: readonly Subscriber[],
): Roster {
  const roster: Roster = new Map();
  for (const member of roomMembers)
    if (!roster.has(member.user_id)) roster.set(member.user_id, member.user_info);
  for (const subscriber of subscribers) {
    if (subscriber.userId !== undefined && !roster.has(subscriber.userId)) {
      roster.set(subscriber.userId, subscriber.userInfo);
    }
  }
  return roster;
}

export function snapshotOf(roster: Roster): PresenceSnapshot {
  const hash: Record<string, unknown> = {};
  for (const [id, info] of roster) hash[id] = info ?? null;
  return { ids: [...roster.keys()], hash, count: roster.size };
}

/** Who joined and who left between two rosters. */
export function rosterChanges(
  before: Roster,
  after: Roster,
): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    // A member still there whose info changed (an Edgeroom person renamed): pusher-js takes a repeated
    // member_added for a known id as an update of its info, without counting it twice.
    changed: [...after.keys()].filter(
      (id) => before.has(id) && JSON.stringify(before.get(id)) !== JSON.stringify(after.get(id)),
    ),
  };
}
