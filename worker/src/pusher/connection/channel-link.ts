/**
 * One internal WebSocket from a client's connection to a channel's object.
 * The channel object decides the last part of a subscription (a full
 * presence channel refuses with a 4xx and a reason); once it accepts, what
 * it sends is forwarded to the client, except control frames.
 */
import {
  CHANNEL_SUBSCRIBE_PATH,
  INTERNAL_EVENT_PREFIX,
  type Subscriber,
  SUBSCRIBER_HEADER,
  TERMINATE_EVENT,
} from "../channel-contract.ts";

export type LinkOpen = { ok: true; socket: WebSocket } | { ok: false; status: number; message: string };

export async function openChannelLink(env: Env, subscriber: Subscriber): Promise<LinkOpen> {
  const stub = env.PusherChannel.getByName(subscriber.channel);
  const response = await stub.fetch(`https://pusher-channel${CHANNEL_SUBSCRIBE_PATH}`, {
    headers: { Upgrade: "websocket", [SUBSCRIBER_HEADER]: JSON.stringify(subscriber) },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) {
    const message = (await response.text()).slice(0, 300) || "The channel refused the subscription.";
    return { ok: false, status: response.status, message };
  }
  socket.accept();
  return { ok: true, socket };
}

// The channel object writes every frame with JSON.stringify({ event, … }), event first, so control
// frames are recognised without parsing every frame the channel fans out.
const CONTROL_FRAME_START = `{"event":"${INTERNAL_EVENT_PREFIX}`;
const TERMINATE_FRAME_START = `{"event":${JSON.stringify(TERMINATE_EVENT)},`;

export type ChannelFrame = { kind: "forward"; text: string } | { kind: "terminate" } | { kind: "ignore" };

export function readChannelFrame(data: string | ArrayBuffer): ChannelFrame {
  if (typeof data !== "string") return { kind: "ignore" };
  if (!data.startsWith(CONTROL_FRAME_START)) return { kind: "forward", text: data };
  return data.startsWith(TERMINATE_FRAME_START) ? { kind: "terminate" } : { kind: "ignore" };
}
