/**
 * Channel names and user ids as the HTTP API takes them, by the protocol's
 * own rules (classifyChannel in shared/src/pusher/channel-name.ts): the
 * events endpoints may address `#server-to-user-<id>` (the SDK's
 * `sendToUser` triggers to it), the channel queries may not (they would
 * tell who is online as whom), and a user id must fit in that channel's name.
 */
import { classifyChannel, PUSHER_LIMITS, SERVER_TO_USER_PREFIX } from "@edgeroom/shared/pusher";

export { SERVER_TO_USER_PREFIX };

/** Why `name` is not a channel the API can address, or undefined when it is. */
export function channelNameProblem(name: string, options: { serverToUser: boolean }): string | undefined {
  const kind = classifyChannel(name);
  if (!kind.ok) return `Invalid channel name ${quote(name)}: ${kind.message}`;
  if (kind.kind === "server-to-user" && !options.serverToUser) {
    return `Invalid channel name ${quote(name)}: a user's own channel is not queried; use /users/<id>/… or sendToUser.`;
  }
  return undefined;
}

/** Why `userId` cannot name a user whose connections hold `#server-to-user-<id>`, or undefined. */
export function userIdProblem(userId: string): string | undefined {
  const kind = classifyChannel(`${SERVER_TO_USER_PREFIX}${userId}`);
  if (userId.length > PUSHER_LIMITS.maxUserIdLength || !kind.ok || kind.kind !== "server-to-user") {
    return (
      `Invalid user id ${quote(userId)}: use 1–${PUSHER_LIMITS.maxUserIdLength} letters, digits and ` +
      "_ - = @ , . ;"
    );
  }
  return undefined;
}

export function isPresenceChannel(name: string): boolean {
  const kind = classifyChannel(name);
  return kind.ok && kind.kind === "presence";
}

/** Names are echoed in refusals; a long one is cut so the answer stays small. */
function quote(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}
