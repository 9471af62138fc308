/**
 * A site's room-token endpoint, as the README's `ROOM_TOKEN_ENDPOINT` example:
 * it knows its user from a session cookie, mints a room token with jose, and
 * answers the Edgeroom page's cross-origin request with credentialed CORS.
 * Served on 127.0.0.1 on its own port (same site as the page, another origin).
 */
import { createServer, type Server } from "node:http";
import { secondsFromNow, signRoomToken } from "@edgeroom/testkit";

export interface TokenEndpoint {
  url: string;
  /** Lifetime of the tokens it mints from now on, in seconds. */
  ttlSeconds: number;
  /** Delay before answering a person's later requests for a room (a slow renewal), in ms. */
  renewalDelayMs: number;
  /** The tokens it handed out, per session name, with their `exp` (seconds). */
  issued: Array<{ session: string; room: string; exp: number }>;
  close(): Promise<void>;
}

const PEOPLE: Record<string, { sub: string; name: string; color: string }> = {
  ada: { sub: "site-user-ada", name: "Ada Lovelace", color: "#c2255c" },
  bo: { sub: "site-user-bo", name: "Bo Diddley", color: "#1971c2" },
};

export async function startTokenEndpoint(port: number, pageOrigin: string): Promise<TokenEndpoint> {
  const endpoint: TokenEndpoint = {
    url: `http://127.0.0.1:${port}/edgeroom-token`,
    ttlSeconds: 600,
    renewalDelayMs: 0,
    issued: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", endpoint.url);
    const cors = {
      "Access-Control-Allow-Origin": pageOrigin,
      "Access-Control-Allow-Credentials": "true",
      Vary: "Origin",
      "Cache-Control": "no-store",
    };
    const session = /(?:^|;\s*)session=(\w+)/.exec(request.headers.cookie ?? "")?.[1];
    const person = session === undefined ? undefined : PEOPLE[session];
    const room = url.searchParams.get("room") ?? "";
    if (url.pathname !== "/edgeroom-token" || request.method !== "GET") {
      response.writeHead(404, cors).end();
      return;
    }
    if (!session || !person) {
      response.writeHead(401, { ...cors, "Content-Type": "text/plain" }).end("Sign in first.");
      return;
    }
    const renewal = endpoint.issued.some((entry) => entry.session === session && entry.room === room);
    void (async () => {
      if (renewal && endpoint.renewalDelayMs > 0)
        await new Promise((r) => setTimeout(r, endpoint.renewalDelayMs));
      const exp = secondsFromNow(endpoint.ttlSeconds);
      const token = await signRoomToken(
        { room, ...person, scope: "edit", private: true },
        { expiresAt: exp },
      );
      endpoint.issued.push({ session, room, exp });
      response.writeHead(200, { ...cors, "Content-Type": "text/plain" }).end(token);
    })();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return endpoint;
}
