import { readAwarenessStateJson, readAwarenessUser } from "@edgeroom/shared";
import type { PeerState } from "./reaction.ts";

/** Who a version names as its editor: the hello name, else the awareness name stock clients publish. */
export function editorName(peer: PeerState): string {
  return (peer.user ?? awarenessUserOf(peer))?.name ?? "Someone";
}

/** The first well-formed `user` among the socket's awareness states (what stock clients publish instead of hello). */
export function awarenessUserOf(peer: PeerState): { name: string; color: string } | undefined {
  for (const entry of peer.awareness) {
    const user = readAwarenessUser(readAwarenessStateJson(entry.stateJson));
    if (user) return user;
  }
  return undefined;
}
