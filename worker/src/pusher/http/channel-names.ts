/**
 * Channel names the HTTP API accepts: Pusher's (1–200 characters of
 * letters, digits and `_ - = @ , . ;`), and `#server-to-user-<id>` where a
 * user is addressed (the SDK's `sendToUser` triggers to it). Encrypted
 * channels need end-to-end keys this server does not hold, so they are refused.
 */
const NAME_CHARACTERS = /^[A-Za-z0-9_\-=@,.;]+$/;
const MAX_NAME_LENGTH = 200;
export const SERVER_TO_USER_PREFIX = "#server-to-user-";

/** Why `name` is not a channel the API can address, or undefined when it is. */
export function channelNameProblem(name: string, options: { serverToUser: boolean }): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    return `Invalid channel name ${quote(name)}: use 1–${MAX_NAME_LENGTH} characters.`;
  }
  if (name.startsWith(SERVER_TO_USER_PREFIX) && options.serverToUser) {
    return userIdProblem(name.slice(SERVER_TO_USER_PREFIX.length));
  }
  if (!NAME_CHARACTERS.test(name)) {
    return `Invalid channel name ${quote(name)}: use only letters, digits and _ - = @ , . ;`;
  }
  if (name.startsWith("private-encrypted-")) {
    return `Invalid channel name ${quote(name)}: encrypted channels are not supported by this server.`;
  }
  return undefined;
}

/** A user id as it may appear in `#server-to-user-<id>`, the channel the user's connections hold. */
export function userIdProblem(userId: string): string | undefined {
  const room = MAX_NAME_LENGTH - SERVER_TO_USER_PREFIX.length;
  if (userId.length === 0 || userId.length > room || !NAME_CHARACTERS.test(userId)) {
    return `Invalid user id ${quote(userId)}: use 1–${room} letters, digits and _ - = @ , . ;`;
  }
  return undefined;
}

export const isPresenceChannel = (name: string): boolean => name.startsWith("presence-");

/** Names are echoed in refusals; a long one is cut so the answer stays small. */
function quote(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}
