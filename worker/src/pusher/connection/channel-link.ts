/**
 * One internal WebSocket from a client's connection to a channel's object.
 * The channel object decides the last part of a subscription (a full
 * presence channel refuses with a 4xx and a reason); once it accepts, what
 * it sends is forwarded to the client, except control frames.
 */
import { CHANNEL_SUBSCRIBE_PATH, type Subscriber, SUBSCRIBER_HEADER } from "../channel-contract.ts";

export type LinkOpen = { ok: true; socket: WebSocket } | { ok: false; status: number; message: string };

export interface LinkListeners {
  message(data: string | ArrayBuffer): void;
  closed(): void;
}

/** Opens the link; the listeners are in place before the socket is accepted, so no early frame is missed. */
export async function openChannelLink(
  env: Env,
  subscriber: Subscriber,
  listeners: LinkListeners,
): Promise<LinkOpen> {
  const stub = env.PusherChannel.getByName(subscriber.channel);
  const response = await stub.fetch(`https://pusher-channel${CHANNEL_SUBSCRIBE_PATH}`, {
    headers: { Upgrade: "websocket", [SUBSCRIBER_HEADER]: JSON.stringify(subscriber) },
  });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) {
    const message = (await response.text()).slice(0, 300) || "The channel refused the subscription.";
    return { ok: false, status: response.status, message };
  }
  socket.addEventListener("message", (event) => listeners.message(event.data));
  socket.addEventListener("close", () => {
    listeners.closed();
    try {
      socket.close(1000);
    } catch {
      // Closed already.
    }
  });
  socket.addEventListener("error", () => listeners.closed());
  socket.accept();
  return { ok: true, socket };
}
