import { readAwarenessStateJson, readAwarenessUser } from "@edgeroom/shared";
import type { PeerState } from "./reaction.ts";

/** Who a version names as its editor: the hello name, else the awareness name stock clients publish. */
export function editorName(peer: PeerState): string {
  if (peer.user) return peer.user.name;
  for (const entry of peer.awareness) {
    const user = readAwarenessUser(readAwarenessStateJson(entry.stateJson));
    if (user) return user.name;
  }
  return "Someone";
}
