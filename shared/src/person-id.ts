/**
 * Who a person is in a room, as others see it. A browser keeps a random
 * secret id (its tabs share it) and tells only the room, in `hello`; the
 * room publishes a one-way hash of it as the person's public id, and forces
 * that public id into the person's awareness. Anyone can read a public id,
 * but nobody can turn it back into the secret that claims it, so copying
 * someone's id from presence lets nobody speak as them or take their slots.
 */
import { digest } from "lib0/hash/sha256";
import { encodeUtf8 } from "lib0/string";
import { UrlSafeIdSchema } from "./ids.ts";

/** A person id as hosts' tokens (`sub`) and browsers' secrets spell them. */
export const PersonIdSchema = UrlSafeIdSchema;

/** Public ids of anonymous people start with this, so they never equal a host's `sub`. */
const ANONYMOUS_PREFIX = "anon-";

export function publicPersonId(secret: string): string {
  const hash = digest(encodeUtf8(`edgeroom-person:${secret}`));
  return ANONYMOUS_PREFIX + toBase64Url(hash.subarray(0, 16));
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Written out because lib0's encoder reaches for Node's `Buffer` inside workerd, which has none. */
function toBase64Url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += BASE64URL[(chunk >> (18 - 6 * c)) & 63];
  }
  return out;
}
