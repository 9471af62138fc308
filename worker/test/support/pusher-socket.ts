/**
 * A raw Pusher protocol client over a real WebSocket through the Worker
 * (inside workerd), for tests that must send what pusher-js never would.
 * It signs as the app's auth endpoint does, with the test app's secret.
 */
import { SELF } from "cloudflare:test";
import { afterEach } from "vitest";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";
import { hmacSha256Hex } from "../../src/pusher/signing/hmac.ts";

export interface PusherFrame {
  event: string;
  channel?: string;
  data?: unknown;
  user_id?: string;
}

export function pusherUpgrade(
  path = `/app/${TEST_PUSHER_APP.key}?protocol=7&client=js&version=8.6.0`,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("Upgrade")) headers.set("Upgrade", "websocket");
  return SELF.fetch(`http://edgeroom.test${path}`, { ...init, headers });
}

export class PusherTestSocket {
  readonly frames: PusherFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data as string) as PusherFrame;
      if (typeof frame.data === "string") {
        try {
          frame.data = JSON.parse(frame.data);
        } catch {
          // Event data that is not JSON stays a string, as pusher-js leaves it.
        }
      }
      this.frames.push(frame);
      this.#wake();
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.#wake();
    });
    socket.accept();
  }

  get socketId(): string {
    const established = this.frames.find((f) => f.event === "pusher:connection_established");
    return (established?.data as { socket_id: string }).socket_id;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (from `from` on) matching, or throws after `ms`. */
  async next(match: (frame: PusherFrame) => boolean, from = 0, ms = 5000): Promise<PusherFrame> {
    const found = () => this.frames.slice(from).find(match);
    await this.until(
      () => found() !== undefined,
      ms,
      `no matching frame; got ${JSON.stringify(this.frames.slice(from))}`,
    );
    return found() as PusherFrame;
  }

  async event(event: string, channel?: string, from = 0): Promise<PusherFrame> {
    return this.next((f) => f.event === event && (channel === undefined || f.channel === channel), from);
  }

  async waitClosed(ms = 5000): Promise<{ code: number; reason: string }> {
    await this.until(() => this.closed !== undefined, ms, "socket did not close");
    return this.closed as { code: number; reason: string };
  }

  async until(condition: () => boolean, ms = 5000, message = "condition not met"): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(message);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async subscribe(
    channel: string,
    options: { auth?: string; channelData?: string } = {},
  ): Promise<PusherFrame> {
    const from = this.frames.length;
    this.send({
      event: "pusher:subscribe",
      data: {
        channel,
        ...(options.auth === undefined ? {} : { auth: options.auth }),
        ...(options.channelData === undefined ? {} : { channel_data: options.channelData }),
      },
    });
    return this.next(
      (f) =>
        f.channel === channel &&
        (f.event === "pusher_internal:subscription_succeeded" || f.event === "pusher:subscription_error"),
      from,
    );
  }

  close(): void {
    try {
      this.socket.close(1000, "test over");
    } catch {
      // Already closed.
    }
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
  }
}

/** Signs as an app's auth endpoint: `key:HMAC(secret, socket_id:channel[:channel_data])`. */
export async function signChannel(
  socketId: string,
  channel: string,
  channelData?: string,
  secret: string = TEST_PUSHER_APP.secret,
): Promise<string> {
  const text = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${TEST_PUSHER_APP.key}:${await hmacSha256Hex(secret, text)}`;
}

export async function signUser(socketId: string, userData: string): Promise<string> {
  return `${TEST_PUSHER_APP.key}:${await hmacSha256Hex(TEST_PUSHER_APP.secret, `${socketId}::user::${userData}`)}`;
}

/** Opens connections that are closed after each test of the calling file. */
export function pusherConnectClosedAfterEach(): () => Promise<PusherTestSocket> {
  const open: PusherTestSocket[] = [];
  afterEach(async () => {
    const closing = open.splice(0);
    for (const socket of closing) socket.close();
    // Wait for the server's answer, so no socket outlives its test half-closed.
    await Promise.all(closing.map((socket) => socket.waitClosed(2000).catch(() => undefined)));
  });
  return async () => {
    const response = await pusherUpgrade();
    if (response.status !== 101 || !response.webSocket)
      throw new Error(`upgrade refused: ${response.status}`);
    const socket = new PusherTestSocket(response.webSocket);
    open.push(socket);
    await socket.event("pusher:connection_established");
    return socket;
  };
}

/** Subscribes to a private channel with a valid signature. */
export async function subscribePrivate(socket: PusherTestSocket, channel: string): Promise<PusherFrame> {
  return socket.subscribe(channel, { auth: await signChannel(socket.socketId, channel) });
}

/** Subscribes to a presence channel as `userId` with a valid signature. */
export async function subscribePresence(
  socket: PusherTestSocket,
  channel: string,
  userId: string,
  userInfo?: unknown,
): Promise<PusherFrame> {
  const channelData = JSON.stringify(
    userInfo === undefined ? { user_id: userId } : { user_id: userId, user_info: userInfo },
  );
  return socket.subscribe(channel, {
    auth: await signChannel(socket.socketId, channel, channelData),
    channelData,
  });
}
