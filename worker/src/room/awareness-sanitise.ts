import { readAwarenessStateJson, type AwarenessEntry } from "@edgeroom/shared";
import type { PeerState } from "./reaction.ts";
import { withRoomIdentity } from "./verified-peer.ts";

/**
 * What the room stores and relays of the awareness states a socket sends:
 * each state sanitised (`sanitiseAwarenessState`: clients paste `user.color`
 * into `style` attributes, so nothing unvalidated may reach them through the
 * room) and carrying the identity the room knows for the socket. One parse
 * and one stringify per state, since awareness is the busiest lane.
 */
export function roomAwarenessEntries(entries: readonly AwarenessEntry[], peer: PeerState): AwarenessEntry[] {
  return entries.map((entry) => {
    const state = readAwarenessStateJson(entry.stateJson);
    if (state === null) return entry;
    return { ...entry, stateJson: JSON.stringify(withRoomIdentity(state, peer)) };
  });
}
