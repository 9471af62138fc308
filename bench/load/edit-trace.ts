/**
 * Documents for the first-sync workload, grown by replaying a synthetic but
 * realistic editing session: one author typing runs of characters near a
 * cursor that mostly stays put, with backspaces and occasional jumps, each
 * keystroke burst its own transaction. Seeded, so every server gets the
 * same bytes.
 */
import * as Y from "yjs";
import { seeded } from "@edgeroom/testkit";

export function buildTraceDocument(
  targetBytes: number,
  seed = 1,
): { update: Uint8Array; textLength: number } {
  const random = seeded(seed);
  const doc = new Y.Doc();
  doc.clientID = 1;
  const text = doc.getText("content");
  const words = ["the ", "room ", "edge ", "sync ", "and ", "a ", "document ", "of ", "to ", "notes\n"];
  let cursor = 0;
  // Encoding the whole document to learn its size is costly, so the next check is aimed at where
  // the bytes per operation so far say the target lies: a handful of checks, not one per few ops.
  let nextCheck = 50;
  for (let op = 1; ; op += 1) {
    const roll = random();
    if (roll < 0.05) cursor = Math.floor(random() * (text.length + 1));
    if (roll < 0.82 || text.length < 20) {
      const word = words[Math.floor(random() * words.length)] ?? "x";
      text.insert(cursor, word);
      cursor += word.length;
    } else {
      const length = Math.min(cursor, 1 + Math.floor(random() * 6));
      text.delete(cursor - length, length);
      cursor -= length;
    }
    if (op < nextCheck) continue;
    const bytes = Y.encodeStateAsUpdate(doc).byteLength;
    if (bytes >= targetBytes) break;
    nextCheck = op + Math.max(50, Math.floor((0.5 * (targetBytes - bytes) * op) / bytes));
  }
  return { update: Y.encodeStateAsUpdate(doc), textLength: text.length };
}

const built = new Map<number, ReturnType<typeof buildTraceDocument>>();

/** The trace document of about `targetBytes`, built once per process (the 1.6 MB one takes seconds). */
export function traceDocument(targetBytes: number): ReturnType<typeof buildTraceDocument> {
  let document = built.get(targetBytes);
  if (!document) built.set(targetBytes, (document = buildTraceDocument(targetBytes)));
  return document;
}
