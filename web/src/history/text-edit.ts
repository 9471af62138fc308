/** Restoring a version as a new change, and showing what changed since a version. */
import { diffLines } from "diff";
import { minimalEdit } from "@edgeroom/shared";
import type * as Y from "yjs";

/**
 * Turns `text` into `target` with one small edit (keep the common start and
 * end, replace the middle) in one transaction. Origin null makes it a local
 * change like typing: sent, acknowledged, stored, and undoable in the editor.
 * Touching only the middle keeps others' cursors and concurrent edits outside
 * it in place.
 */
export function replaceText(text: Y.Text, target: string): void {
  const edit = minimalEdit(text.toString(), target);
  if (!edit) return;
  const doc = text.doc;
  const apply = (): void => {
    if (edit.deleteCount > 0) text.delete(edit.index, edit.deleteCount);
    if (edit.insert) text.insert(edit.index, edit.insert);
  };
  if (doc) doc.transact(apply, null);
  else apply();
}

export interface DiffLine {
  /** `removed`: only in the chosen version (gone since); `added`: only in the document now (new since). */
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * Line by line, what changed from `version` to `now`, read forwards in time as
 * GitHub and Google Docs show it: the old text is removed, the new text added.
 */
export function changesSince(version: string, now: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(version, now)) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    const text = part.value.endsWith("\n") ? part.value.slice(0, -1) : part.value;
    for (const line of text.split("\n")) lines.push({ kind, text: line });
  }
  return lines;
}
