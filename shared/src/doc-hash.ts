/**
 * A document's identity for the divergence check: a hash of its state
 * vector and delete set. Two replicas with the same hash hold the same
 * content (a Yjs id always names the same content), and both halves are
 * encoded sorted and with merged ranges, so equal states hash equally on
 * every peer however their structs happen to be split. State vectors alone
 * would miss a lost deletion, which does not advance any clock.
 */
import { digest } from "lib0/hash/sha256";
import * as Y from "yjs";

export function documentHash(doc: Y.Doc): string {
  const bytes = digest(Y.encodeSnapshot(Y.snapshot(doc)));
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
