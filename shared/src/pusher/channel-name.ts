/**
 * What a channel's name makes it. The prefix decides what a subscription
 * needs: nothing (public), a signature (`private-`), a signature and member
 * data (`presence-`), or a signed-in user (`#server-to-user-<id>`). Names
 * starting with `#` are the server's own and only that one is known;
 * `private-encrypted-` channels (end-to-end encryption) are not supported.
 */
import { PUSHER_LIMITS } from "./limits.ts";

export type ChannelKind = "public" | "private" | "presence" | "server-to-user";

export type ChannelClass =
  | { ok: true; kind: Exclude<ChannelKind, "server-to-user"> }
  | { ok: true; kind: "server-to-user"; userId: string }
  | { ok: false; message: string };

export const SERVER_TO_USER_PREFIX = "#server-to-user-";
const NAME_CHARACTERS = /^[A-Za-z0-9_\-=@,.;]+$/;

export function classifyChannel(name: string): ChannelClass {
  if (name.length === 0 || name.length > PUSHER_LIMITS.maxChannelNameLength) {
    return { ok: false, message: `Channel names are 1–${PUSHER_LIMITS.maxChannelNameLength} characters.` };
  }
  if (name.startsWith("#")) {
    const userId = name.startsWith(SERVER_TO_USER_PREFIX) ? name.slice(SERVER_TO_USER_PREFIX.length) : "";
    if (!NAME_CHARACTERS.test(userId)) {
      return { ok: false, message: `Channel names starting with # are reserved: ${name}` };
    }
    return { ok: true, kind: "server-to-user", userId };
  }
  if (!NAME_CHARACTERS.test(name)) {
    return {
      ok: false,
      message: "Channel names may contain only letters, digits and _ - = @ , . ;",
    };
  }
  if (name.startsWith("private-encrypted-")) {
    return {
      ok: false,
      message: "Encrypted channels (private-encrypted-) are not supported by this server.",
    };
  }
  if (name.startsWith("presence-")) return { ok: true, kind: "presence" };
  if (name.startsWith("private-")) return { ok: true, kind: "private" };
  return { ok: true, kind: "public" };
}

/** Client events are allowed only where every subscriber was authorized: private and presence channels. */
export function allowsClientEvents(kind: ChannelKind): boolean {
  return kind === "private" || kind === "presence";
}
