/** What a room is called on screen, in the tab title and in share text: its name, or a friendly fallback. */
export const UNTITLED_ROOM = "Untitled room";

export function roomLabel(name: string): string {
  return name === "" ? UNTITLED_ROOM : name;
}

/** The tab title: "<name> — Edgeroom" in a room, "Edgeroom" elsewhere. */
export function tabTitle(name: string | undefined): string {
  return name === undefined ? "Edgeroom" : `${roomLabel(name)} — Edgeroom`;
}
