/**
 * Shared helpers for tests of Edgeroom's Pusher server with the unmodified
 * npm clients: an app's auth endpoint on 127.0.0.1 that signs with the
 * `pusher` server SDK (`authorizeChannel`, `authenticateUser`), as a real
 * app's backend would; a pusher-js (Node build) client factory pointed at a
 * `wrangler dev` server; and the server SDK pointed at the same server.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import PusherServer from "pusher";
import Pusher from "pusher-js";
import type { Channel } from "pusher-js";
import { TEST_PUSHER_APP } from "@edgeroom/testkit";

export { TEST_PUSHER_APP };

/**
 * How the endpoint signs a request, chosen per client by query string:
 * `ok` as a real backend; the others are the refusals a test provokes.
 */
export type AuthMode = "ok" | "wrong-secret" | "other-socket" | "other-channel";

export interface PusherAuthEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:<port>`. */
  url: string;
  /** The channels it signed, in order. */
  signed: Array<{ socketId: string; channel: string }>;
  close(): Promise<void>;
}

/** The Pusher server SDK for the test app, talking to the server on `port`. */
export function pusherServerSdk(port: number, secret: string = TEST_PUSHER_APP.secret): PusherServer {
  return new PusherServer({
    appId: TEST_PUSHER_APP.appId,
    key: TEST_PUSHER_APP.key,
    secret,
    host: "127.0.0.1",
    port: String(port),
    useTLS: false,
  });
}

/** What a form endpoint answers: a status and a JSON body (or text for a refusal). */
export interface FormAnswer {
  status: number;
  body: unknown;
}

export interface FormEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A host backend's endpoint on 127.0.0.1 that reads form bodies, as pusher-js
 * posts them to auth endpoints (`socket_id`, `channel_name`, and any params),
 * and answers what `answer` says, with permissive CORS so browser pages may
 * call it too. Each spec plays its own backend's rules through `answer`.
 */
export async function startFormEndpoint(
  answer: (path: string, query: URLSearchParams, form: URLSearchParams) => FormAnswer,
): Promise<FormEndpoint> {
  const server: Server = createServer((request, response) => {
    void (async () => {
      const headers = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Headers": "Content-Type",
        "Cache-Control": "no-store",
      };
      if (request.method === "OPTIONS") return response.writeHead(204, headers).end();
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const { status, body } = answer(
        url.pathname,
        url.searchParams,
        new URLSearchParams(await readBody(request)),
      );
      if (typeof body === "string") return response.writeHead(status, headers).end(body);
      response
        .writeHead(status, { ...headers, "Content-Type": "application/json" })
        .end(JSON.stringify(body));
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves `POST /pusher/auth` (channel authorization) and `POST /pusher/user-auth`
 * (user authentication) as pusher-js calls them (form bodies). The user is
 * named in the query (`?user=ada&mode=ok`): the test decides who each client is.
 */
export async function startPusherAuthEndpoint(): Promise<PusherAuthEndpoint> {
  const signer = pusherServerSdk(0);
  const forger = pusherServerSdk(0, "a-secret-that-is-not-the-apps");
  const signed: PusherAuthEndpoint["signed"] = [];
  const endpoint = await startFormEndpoint((path, query, form) => {
    const user = query.get("user") ?? "anonymous";
    const mode = (query.get("mode") ?? "ok") as AuthMode;
    const sdk = mode === "wrong-secret" ? forger : signer;
    const socketId = mode === "other-socket" ? "1234.5678" : (form.get("socket_id") ?? "");
    const userInfo = { name: user };
    if (path === "/pusher/auth") {
      const requested = form.get("channel_name") ?? "";
      const channel = mode === "other-channel" ? `${requested}-other` : requested;
      signed.push({ socketId, channel: requested });
      const body = channel.startsWith("presence-")
        ? sdk.authorizeChannel(socketId, channel, { user_id: user, user_info: userInfo })
        : sdk.authorizeChannel(socketId, channel);
      return { status: 200, body };
    }
    if (path === "/pusher/user-auth") {
      return { status: 200, body: sdk.authenticateUser(socketId, { id: user, user_info: userInfo }) };
    }
    return { status: 404, body: "not found" };
  });
  return { ...endpoint, signed };
}

/**
 * pusher-js clients of one spec, connected through `auth` and all
 * disconnected after each test (register with the spec's `test`).
 */
export function pusherClientsPerTest(
  test: { afterEach(hook: () => void): void },
  auth: () => PusherAuthEndpoint,
  port: number,
): (options?: Omit<PusherClientOptions, "port" | "auth">) => Promise<Pusher> {
  const clients: Pusher[] = [];
  test.afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  return async (options = {}) => {
    const pusher = createPusherClient({ port, auth: auth(), ...options });
    clients.push(pusher);
    await connected(pusher);
    return pusher;
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) request.destroy(new Error("body too large"));
    });
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

export interface PusherClientOptions {
  /** The `wrangler dev` server's port. */
  port: number;
  auth: PusherAuthEndpoint;
  /** Who the auth endpoint says this client is (presence user_id, signed-in id). */
  user?: string;
  mode?: AuthMode;
  key?: string;
}

/** A pusher-js client (Node build, unmodified) as an app would configure it for a self-hosted server. */
export function createPusherClient(options: PusherClientOptions): Pusher {
  const query = `user=${encodeURIComponent(options.user ?? "anonymous")}&mode=${options.mode ?? "ok"}`;
  return new Pusher(options.key ?? TEST_PUSHER_APP.key, {
    cluster: "",
    wsHost: "127.0.0.1",
    wsPort: options.port,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: { endpoint: `${options.auth.url}/pusher/auth?${query}`, transport: "ajax" },
    userAuthentication: { endpoint: `${options.auth.url}/pusher/user-auth?${query}`, transport: "ajax" },
  });
}

/** Resolves with the socket id once connected; rejects if the connection fails or takes over `ms`. */
export function connected(client: Pusher, ms = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected: ${client.connection.state}`)), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(client.connection.socket_id);
    };
    if (client.connection.state === "connected") return done();
    client.connection.bind("connected", done);
    client.connection.bind("failed", () => reject(new Error("connection failed")));
  });
}

/** Subscribes and resolves with the subscription data, or rejects with the subscription error. */
export function subscribed(
  client: Pusher,
  channelName: string,
  ms = 10_000,
): Promise<{ channel: Channel; data: unknown }> {
  return new Promise((resolve, reject) => {
    const channel = client.subscribe(channelName);
    const timer = setTimeout(() => reject(new Error(`no subscription answer for ${channelName}`)), ms);
    channel.bind("pusher:subscription_succeeded", (data: unknown) => {
      clearTimeout(timer);
      resolve({ channel, data });
    });
    channel.bind("pusher:subscription_error", (error: unknown) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`subscription refused: ${JSON.stringify(error)}`), { detail: error }));
    });
  });
}

/** Resolves with the next `event` on `channel` (data and metadata), or rejects after `ms`. */
export function nextEvent(
  channel: Channel,
  event: string,
  ms = 10_000,
): Promise<{ data: unknown; metadata: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} on ${channel.name}`)), ms);
    const handler = (data: unknown, metadata: unknown) => {
      clearTimeout(timer);
      channel.unbind(event, handler);
      resolve({ data, metadata });
    };
    channel.bind(event, handler);
  });
}

/** A prefix for channel names that no other test (or earlier run on a kept server) shares. */
export function uniqueChannelPrefix(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
