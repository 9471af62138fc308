/**
 * Whether a connection may subscribe to a channel, decided in the Worker
 * before the channel's object is addressed (addressing one creates it):
 * the name's kind, then the app's signature for private and presence
 * channels, then presence member data, then the signed-in user for
 * `#server-to-user-<id>`. The result is the `Subscriber` the channel trusts.
 */
import { classifyChannel, type ChannelKind, parseChannelData } from "@edgeroom/shared/pusher";
import { bridgedChannel } from "../bridge/bridged-channel.ts";
import type { Subscriber } from "../channel-contract.ts";
import type { PusherConfig } from "../pusher-config.ts";
import { verifyChannelAuth } from "../signing/channel-auth.ts";

export interface SubscribeRequest {
  channel: string;
  auth: string | undefined;
  channelData: string | undefined;
}

export type SubscriptionCheck =
  { ok: true; kind: ChannelKind; subscriber: Subscriber } | { ok: false; status: number; message: string };

export async function checkSubscription(
  app: PusherConfig,
  socketId: string,
  signedInUserId: string | undefined,
  request: SubscribeRequest,
): Promise<SubscriptionCheck> {
  const { channel } = request;
  const kind = classifyChannel(channel);
  if (!kind.ok) return { ok: false, status: 400, message: kind.message };
  // A bridge to a room that cannot exist is refused here, before any object is addressed.
  const bridge = bridgedChannel(channel);
  if (bridge && !bridge.ok) return { ok: false, status: 400, message: bridge.message };
  const base: Subscriber = { channel, socketId, ...(signedInUserId === undefined ? {} : { signedInUserId }) };
  switch (kind.kind) {
    case "public":
      return { ok: true, kind: kind.kind, subscriber: base };
    case "server-to-user":
      if (signedInUserId !== kind.userId) {
        return {
          ok: false,
          status: 403,
          message: "Only the connection signed in (pusher:signin) as this user may subscribe to its channel.",
        };
      }
      return { ok: true, kind: kind.kind, subscriber: { ...base, userId: kind.userId } };
    case "private": {
      const auth = await verifyChannelAuth(app, request.auth, socketId, channel);
      if (!auth.ok) return { ok: false, status: 401, message: auth.message };
      return { ok: true, kind: kind.kind, subscriber: base };
    }
    case "presence": {
      if (request.channelData === undefined) {
        return {
          ok: false,
          status: 401,
          message: "Presence channels need channel_data, signed with the auth.",
        };
      }
      const auth = await verifyChannelAuth(app, request.auth, socketId, channel, request.channelData);
      if (!auth.ok) return { ok: false, status: 401, message: auth.message };
      const data = parseChannelData(request.channelData);
      if (!data.ok) return { ok: false, status: 400, message: data.message };
      const { user_id, user_info } = data.value;
      const subscriber: Subscriber = { ...base, userId: user_id };
      if (user_info !== undefined) subscriber.userInfo = user_info;
      return { ok: true, kind: kind.kind, subscriber };
    }
  }
}
