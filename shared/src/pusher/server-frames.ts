/**
 * The frames the server sends a Pusher client, as text. For `pusher:` and
 * `pusher_internal:` events `data` is itself JSON text (pusher-js parses it
 * again), except `pusher:error`, whose `data` is an object as Pusher sends it.
 */
import { PUSHER_LIMITS } from "./limits.ts";

export const ServerEvent = {
  connectionEstablished: "pusher:connection_established",
  error: "pusher:error",
  ping: "pusher:ping",
  pong: "pusher:pong",
  signinSuccess: "pusher:signin_success",
  subscriptionError: "pusher:subscription_error",
  subscriptionSucceeded: "pusher_internal:subscription_succeeded",
  memberAdded: "pusher_internal:member_added",
  memberRemoved: "pusher_internal:member_removed",
} as const;

export function connectionEstablishedFrame(socketId: string): string {
  return JSON.stringify({
    event: ServerEvent.connectionEstablished,
    data: JSON.stringify({ socket_id: socketId, activity_timeout: PUSHER_LIMITS.activityTimeoutSeconds }),
  });
}

export function errorFrame(message: string, code: number | null = null): string {
  return JSON.stringify({ event: ServerEvent.error, data: { message, code } });
}

export function pingFrame(): string {
  return JSON.stringify({ event: ServerEvent.ping, data: "{}" });
}

export function pongFrame(): string {
  return JSON.stringify({ event: ServerEvent.pong, data: "{}" });
}

export function signinSuccessFrame(userData: string): string {
  return JSON.stringify({ event: ServerEvent.signinSuccess, data: JSON.stringify({ user_data: userData }) });
}

/**
 * A refused subscription, on its channel: pusher-js emits it on the channel
 * as `pusher:subscription_error` (what `channel.bind("pusher:subscription_error")`
 * and Laravel Echo's `.error()` listen to), in the shape of its own auth errors.
 */
export function subscriptionErrorFrame(channel: string, message: string, status: number): string {
  return JSON.stringify({
    event: ServerEvent.subscriptionError,
    channel,
    data: JSON.stringify({ type: "AuthError", error: message, status }),
  });
}

/** The presence hash Pusher sends on subscription_succeeded: every user once. */
export interface PresenceSnapshot {
  ids: string[];
  hash: Record<string, unknown>;
  count: number;
}

export function subscriptionSucceededFrame(channel: string, presence?: PresenceSnapshot): string {
  const data = presence ? JSON.stringify({ presence }) : "{}";
  return JSON.stringify({ event: ServerEvent.subscriptionSucceeded, channel, data });
}

export function memberAddedFrame(channel: string, userId: string, userInfo: unknown): string {
  const member = userInfo === undefined ? { user_id: userId } : { user_id: userId, user_info: userInfo };
  return JSON.stringify({ event: ServerEvent.memberAdded, channel, data: JSON.stringify(member) });
}

export function memberRemovedFrame(channel: string, userId: string): string {
  return JSON.stringify({
    event: ServerEvent.memberRemoved,
    channel,
    data: JSON.stringify({ user_id: userId }),
  });
}

/**
 * An event for subscribers (client events, the HTTP API's events): `data` as
 * given (a string from the HTTP API; any JSON value from a client), and on
 * presence channels the sending client's `user_id`.
 */
export function channelEventFrame(channel: string, event: string, data: unknown, userId?: string): string {
  return JSON.stringify(
    userId === undefined ? { event, channel, data } : { event, channel, data, user_id: userId },
  );
}
