/**
 * Applies awareness the room relayed, after rewriting every state with the
 * same rule the room applies (`sanitiseAwarenessState`). It runs before
 * y-protocols stores the states, because listeners that render
 * (y-codemirror.next's remote carets dispatch inside the `change` event)
 * read them synchronously: a room running older code, or a bug, must still
 * never put a remote string into a `style` attribute here.
 */
import { sanitiseAwarenessStateJson, type AwarenessEntry } from "@edgeroom/shared";
import * as encoding from "lib0/encoding";
import { applyAwarenessUpdate, type Awareness } from "y-protocols/awareness";

export function applyRemoteAwareness(
  awareness: Awareness,
  entries: readonly AwarenessEntry[],
  origin: unknown,
): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, sanitiseAwarenessStateJson(entry.stateJson));
  }
  applyAwarenessUpdate(awareness, encoding.toUint8Array(encoder), origin);
}
