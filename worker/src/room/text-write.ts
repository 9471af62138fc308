/**
 * A text write from the HTTP API (`append`, or `replace` with the smallest
 * change) as a Yjs update, so it takes the same path as any client's update:
 * checked, stored, then relayed. The edit is made on a copy of the document
 * under a client id of its own; the live document changes only when the
 * update is applied like any other.
 */
import { DOCUMENT_TEXT, minimalEdit, type DocumentTextWrite } from "@edgeroom/shared";
import * as Y from "yjs";

/** The update that makes the write, or undefined when it changes nothing. */
export function textWriteUpdate(doc: Y.Doc, write: DocumentTextWrite): Uint8Array | undefined {
  const copy = new Y.Doc({ gc: doc.gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  // A fresh random id is almost surely new; one already in the document would clash with its clock.
  const known = Y.decodeStateVector(before);
  while (known.has(copy.clientID)) copy.clientID = Math.floor(Math.random() * 2 ** 32);
  const text = copy.getText(DOCUMENT_TEXT);
  const current = text.toString();
  const edit =
    write.mode === "append"
      ? write.text.length > 0
        ? { index: current.length, deleteCount: 0, insert: write.text }
        : undefined
      : minimalEdit(current, write.text);
  if (!edit) return undefined;
  copy.transact(() => {
    if (edit.deleteCount > 0) text.delete(edit.index, edit.deleteCount);
    if (edit.insert) text.insert(edit.index, edit.insert);
  });
  const update = Y.encodeStateAsUpdate(copy, before);
  copy.destroy();
  return update;
}
