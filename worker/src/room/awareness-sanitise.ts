import { sanitiseAwarenessStateJson, type AwarenessEntry } from "@edgeroom/shared";

/**
 * Rewrites every awareness state a socket sends to what `sanitiseAwarenessState`
 * allows, before the room stores or relays it: clients paste `user.color` into
 * `style` attributes, so nothing unvalidated may reach them through the room.
 */
export function sanitiseAwarenessEntries(entries: readonly AwarenessEntry[]): AwarenessEntry[] {
  return entries.map((entry) =>
    entry.stateJson === "null" ? entry : { ...entry, stateJson: sanitiseAwarenessStateJson(entry.stateJson) },
  );
}
