/**
 * When a person's name shows beside their caret or their pointer. A name
 * label informs while the person acts and then gets out of the way: a caret
 * shows it while its person types or moves it and for a moment after, then
 * folds to a small flag (hover shows the name again). A person shows one
 * name at a time: when both their pointer and their caret are live, the one
 * that moved last carries it.
 */
export type CaretLabel = "name" | "flag";

export interface LabelTimes {
  now: number;
  /** When the caret last moved (typing moves it too). */
  caretAt: number;
  /** When the same person's pointer last moved, if it is on the document. */
  pointerAt: number | undefined;
  shownMs: number;
}

export function caretLabel({ now, caretAt, pointerAt, shownMs }: LabelTimes): CaretLabel {
  if (now - caretAt >= shownMs) return "flag";
  if (pointerAt !== undefined && pointerAt > caretAt) return "flag";
  return "name";
}

/** When the caret label shown now folds, or undefined if it is a flag already. */
export function labelFoldsAt(times: LabelTimes): number | undefined {
  return caretLabel(times) === "name" ? times.caretAt + times.shownMs : undefined;
}

/**
 * Who a caret or pointer belongs to, as both lanes can tell it: pointers
 * carry the name and colour of their socket's hello, carets those of the
 * awareness state, and one tab publishes the same pair on both.
 */
export function personKey(user: { name: string; color: string }): string {
  return `${user.color} ${user.name}`;
}
