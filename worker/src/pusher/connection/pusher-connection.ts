/**
 * One client's Pusher connection, held by the Worker for as long as the
 * socket is open: its socket id, signed-in user, client-event budget and one
 * internal link per subscribed channel (channel-link.ts). Every frame is
 * parsed and checked here; only a validated subscription reaches a channel
 * object and only a validated client event is forwarded to one.
 */
import {
  allowsClientEvents,
  type ChannelKind,
  type ClientFrame,
  connectionEstablishedFrame,
  errorFrame,
  parseClientFrame,
  parseUserData,
  PUSHER_LIMITS,
  PusherCloseCode,
  PusherErrorCode,
  pongFrame,
  SERVER_TO_USER_PREFIX,
  signinSuccessFrame,
  subscriptionErrorFrame,
} from "@edgeroom/shared/pusher";
import type { ClientEventFrame } from "../channel-contract.ts";
import type { PusherConfig } from "../pusher-config.ts";
import { verifyUserAuth } from "../signing/channel-auth.ts";
import { readChannelFrame } from "./channel-frames.ts";
import { openChannelLink } from "./channel-link.ts";
import { TokenBucket } from "./rate-limit.ts";
import { newSocketId } from "./socket-id.ts";
import { checkSubscription, type SubscribeRequest } from "./subscription-check.ts";

interface Subscription {
  kind: ChannelKind;
  /** Undefined while the channel object is being asked. */
  link: WebSocket | undefined;
}

export class PusherConnection {
  readonly socketId = newSocketId();
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #clientEvents = new TokenBucket(PUSHER_LIMITS.clientEventsPerSecond);
  #userId: string | undefined;
  #closed = false;

  constructor(
    private readonly client: WebSocket,
    private readonly app: PusherConfig,
    private readonly env: Env,
  ) {}

  /** Greets the client, or refuses it as Pusher does: a pusher:error, then a close with the same code. */
  start(key: string, protocol: string | null): void {
    // Answer the client's close (completing the handshake) and let every channel know it left.
    this.client.addEventListener("close", (event) =>
      this.#close(event.code === 1005 ? 1000 : event.code, ""),
    );
    this.client.addEventListener("error", () => this.#shutDown());
    if (key !== this.app.key)
      return this.#refuse(PusherCloseCode.appDoesNotExist, `App key ${key} does not exist.`);
    if (protocol === null)
      return this.#refuse(PusherCloseCode.noProtocolVersion, "No protocol version given.");
    if (protocol !== "7") {
      return this.#refuse(
        PusherCloseCode.unsupportedProtocolVersion,
        "Unsupported protocol version: this server speaks 7.",
      );
    }
    this.client.addEventListener("message", (event) => this.#receive(event.data));
    this.#send(connectionEstablishedFrame(this.socketId));
  }

  #receive(data: string | ArrayBuffer): void {
    if (this.#closed) return;
    if (typeof data !== "string") return this.#error("Binary frames are not part of the Pusher protocol.");
    if (utf8Length(data) > PUSHER_LIMITS.maxMessageBytes) {
      return this.#error(`Message too large: the limit is ${PUSHER_LIMITS.maxMessageBytes} bytes.`);
    }
    const parsed = parseClientFrame(data);
    if (!parsed.ok) return this.#error(parsed.message);
    this.#handle(parsed.frame);
  }

  #handle(frame: ClientFrame): void {
    switch (frame.type) {
      case "ping":
        return this.#send(pongFrame());
      case "pong":
        return;
      case "subscribe":
        return void this.#subscribe(frame).catch((error: unknown) => this.#linkFailed(frame.channel, error));
      case "unsubscribe":
        return this.#unsubscribe(frame.channel);
      case "signin":
        return void this.#signin(frame.auth, frame.userData);
      case "client-event":
        return this.#clientEvent(frame.channel, { event: frame.event, data: frame.data });
    }
  }

  async #subscribe(request: SubscribeRequest): Promise<void> {
    const { channel } = request;
    // A repeated subscribe changes nothing (pusher-js sends one per channel and connection).
    if (this.#subscriptions.has(channel)) return;
    if (this.#atChannelLimit(channel)) return;
    const check = await checkSubscription(this.app, this.socketId, this.#userId, request);
    if (this.#closed) return;
    if (!check.ok) return this.#send(subscriptionErrorFrame(channel, check.message, check.status));
    // Checked again: other subscriptions may have been added while this one's signature was checked.
    if (this.#subscriptions.has(channel) || this.#atChannelLimit(channel)) return;
    const subscription: Subscription = { kind: check.kind, link: undefined };
    this.#subscriptions.set(channel, subscription);

    const current = () => !this.#closed && this.#subscriptions.get(channel) === subscription;
    const opened = await openChannelLink(this.env, check.subscriber, {
      message: (data) => {
        if (current()) this.#fromChannel(data);
      },
      closed: () => this.#linkClosed(channel, subscription),
    });
    if (!opened.ok) {
      if (this.#subscriptions.get(channel) === subscription) this.#subscriptions.delete(channel);
      return this.#send(subscriptionErrorFrame(channel, opened.message, opened.status));
    }
    const link = opened.socket;
    // Unsubscribed (or gone) while the channel was being asked: drop the link it no longer wants.
    if (!current()) return closeQuietly(link, 1000);
    subscription.link = link;
  }

  /** Refuses the subscription (and says so) when the connection holds as many channels as it may. */
  #atChannelLimit(channel: string): boolean {
    if (this.#subscriptions.size < PUSHER_LIMITS.maxChannelsPerConnection) return false;
    const limit = PUSHER_LIMITS.maxChannelsPerConnection;
    this.#send(
      subscriptionErrorFrame(channel, `A connection may subscribe to at most ${limit} channels.`, 403),
    );
    return true;
  }

  #unsubscribe(channel: string): void {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription) return;
    this.#subscriptions.delete(channel);
    if (subscription.link) closeQuietly(subscription.link, 1000);
  }

  async #signin(auth: string, userData: string): Promise<void> {
    const check = await verifyUserAuth(this.app, auth, this.socketId, userData);
    if (this.#closed) return;
    if (!check.ok) return this.#error(`Sign-in refused: ${check.message}`);
    const user = parseUserData(userData);
    if (!user.ok) return this.#error(`Sign-in refused: ${user.message}`);
    // Signing in as someone else ends the previous user's own channel on this connection.
    if (this.#userId !== undefined && this.#userId !== user.value.id) {
      this.#unsubscribe(`${SERVER_TO_USER_PREFIX}${this.#userId}`);
    }
    this.#userId = user.value.id;
    this.#send(signinSuccessFrame(userData));
  }

  #clientEvent(channel: string, event: ClientEventFrame): void {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription?.link) {
      return this.#error(
        `Client event ${event.event} rejected: this connection is not subscribed to ${channel}.`,
      );
    }
    if (!allowsClientEvents(subscription.kind)) {
      return this.#error(
        `Client event ${event.event} rejected: client events are allowed only on private and presence channels.`,
      );
    }
    if (!this.#clientEvents.take()) {
      return this.#error(
        `Client event rejected: the limit is ${PUSHER_LIMITS.clientEventsPerSecond} client events per second.`,
        PusherErrorCode.clientEventRateLimit,
      );
    }
    try {
      subscription.link.send(JSON.stringify(event));
    } catch {
      this.#linkClosed(channel, subscription);
    }
  }

  #fromChannel(data: string | ArrayBuffer): void {
    const frame = readChannelFrame(data);
    if (frame.kind === "forward") this.#send(frame.text);
    else if (frame.kind === "terminate")
      this.#close(PusherCloseCode.unauthorized, "Connection terminated by the app.");
  }

  /** A link the connection still wanted broke: the client reconnects and subscribes afresh (pusher-js does on 4200). */
  #linkClosed(channel: string, subscription: Subscription): void {
    if (this.#closed || this.#subscriptions.get(channel) !== subscription) return;
    this.#close(PusherCloseCode.reconnect, "Lost the channel; reconnect.");
  }

  #linkFailed(channel: string, error: unknown): void {
    console.error("Edgeroom Pusher: subscribing failed:", channel, error);
    this.#subscriptions.delete(channel);
    this.#send(subscriptionErrorFrame(channel, "The subscription failed on the server; try again.", 500));
  }

  #refuse(code: PusherCloseCode, message: string): void {
    this.#send(errorFrame(message, code));
    this.#close(code, message);
  }

  #error(message: string, code: number | null = null): void {
    this.#send(errorFrame(message, code));
  }

  #send(text: string): void {
    if (this.#closed) return;
    try {
      this.client.send(text);
    } catch {
      this.#shutDown();
    }
  }

  #close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#shutDown();
    closeQuietly(this.client, code, reason);
  }

  /** The client is gone (or being closed): every internal link closes, so every channel sees it leave. */
  #shutDown(): void {
    this.#closed = true;
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.link) closeQuietly(subscription.link, 1000);
    }
    this.#subscriptions.clear();
  }
}

function closeQuietly(socket: WebSocket, code: number, reason = ""): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed.
  }
}

const utf8 = new TextEncoder();

function utf8Length(text: string): number {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so short text needs no encoding to be measured.
  return text.length * 3 <= PUSHER_LIMITS.maxMessageBytes ? text.length : utf8.encode(text).byteLength;
}
