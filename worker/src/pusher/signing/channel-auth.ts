/**
 * Checks the signatures an app's auth endpoint makes for its users (Pusher's
 * channel and user authentication): `auth` is `<key>:<hex HMAC-SHA256>` of
 * `<socket_id>:<channel>` (private), `<socket_id>:<channel>:<channel_data>`
 * (presence) or `<socket_id>::user::<user_data>` (sign-in). The socket id in
 * the signed text is the connection's own, so a signature fetched for one
 * connection or channel is worthless on another.
 */
import type { PusherConfig } from "../pusher-config.ts";
import { hmacSha256Hex, sameSignature } from "./hmac.ts";

export type AuthCheck = { ok: true } | { ok: false; message: string };

export function channelAuthText(socketId: string, channel: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
}

export function userAuthText(socketId: string, userData: string): string {
  return `${socketId}::user::${userData}`;
}

export function verifyChannelAuth(
  app: PusherConfig,
  auth: string | undefined,
  socketId: string,
  channel: string,
  channelData?: string,
): Promise<AuthCheck> {
  return verify(app, auth, channelAuthText(socketId, channel, channelData));
}

export function verifyUserAuth(
  app: PusherConfig,
  auth: string,
  socketId: string,
  userData: string,
): Promise<AuthCheck> {
  return verify(app, auth, userAuthText(socketId, userData));
}

async function verify(app: PusherConfig, auth: string | undefined, text: string): Promise<AuthCheck> {
  if (auth === undefined || auth === "") return { ok: false, message: "Missing auth signature." };
  const separator = auth.indexOf(":");
  const key = separator < 0 ? "" : auth.slice(0, separator);
  if (key !== app.key) return { ok: false, message: "Invalid key in auth signature." };
  const expected = await hmacSha256Hex(app.secret, text);
  if (!sameSignature(expected, auth.slice(separator + 1))) {
    return { ok: false, message: "Invalid signature: it was not made for this socket, channel and data." };
  }
  return { ok: true };
}
