/**
 * How the room page (`/r/<id>`) gets into a room. When the deploy names a
 * token endpoint (`ROOM_TOKEN_ENDPOINT`, read from `/embed-config.json`), the
 * page asks it for a room token with the visitor's cookies, as an embed's host
 * would, hands the token to the connection, and asks again shortly before
 * `exp` and after a 4402; otherwise it connects without one. The connection is
 * created held, so a private room never sees a tokenless attempt it would refuse.
 */
import { CloseCode, LIMITS, isCompactJws, parseEmbedConfig } from "@edgeroom/shared";
import type { RoomConnection } from "../connection/room-connection.ts";
import { renewDelayMs, tokenExpiryMs } from "./token-expiry.ts";

/** The last endpoint this browser was told about, so a reload while offline still waits for a token. */
const ENDPOINT_KEY = "edgeroom:token-endpoint";

type TokenAnswer = { kind: "token"; token: string } | { kind: "refused" } | { kind: "unreachable" };

export class RoomAccess {
  readonly #roomId: string;
  readonly #connection: RoomConnection;
  readonly #cleanups: Array<() => void> = [];
  #endpoint: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asking = false;
  #lastAsk = -Infinity;
  #live = true;
  #unreachable = false;

  constructor(roomId: string, connection: RoomConnection) {
    this.#roomId = roomId;
    this.#connection = connection;
  }

  async start(): Promise<void> {
    const endpoint = await loadTokenEndpoint();
    if (!this.#live) return;
    if (endpoint === undefined) {
      this.#connection.open();
      return;
    }
    this.#endpoint = endpoint;
    this.#cleanups.push(
      this.#connection.state.subscribe((state, previous) => {
        const expired = state.status === "error" && state.closeCode === CloseCode.tokenExpired;
        if (expired && previous.status !== "error") void this.#renew();
      }),
    );
    const onOnline = (): void => {
      if (this.#unreachable) void this.#renew();
    };
    addEventListener("online", onOnline);
    this.#cleanups.push(() => removeEventListener("online", onOnline));
    await this.#renew();
  }

  destroy(): void {
    this.#live = false;
    clearTimeout(this.#timer);
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }

  async #renew(): Promise<void> {
    if (this.#asking || !this.#live || this.#endpoint === undefined) return;
    this.#asking = true;
    clearTimeout(this.#timer);
    let answer: TokenAnswer;
    try {
      const wait = this.#lastAsk + LIMITS.roomTokenMinIntervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#lastAsk = Date.now();
      answer = await fetchRoomToken(this.#endpoint, this.#roomId);
    } finally {
      this.#asking = false;
    }
    if (!this.#live) return;
    this.#unreachable = answer.kind === "unreachable";
    switch (answer.kind) {
      case "token": {
        // Same document, new socket: whatever was typed meanwhile goes in its sync handshake.
        this.#connection.setToken(answer.token);
        this.#connection.open();
        const expiry = tokenExpiryMs(answer.token);
        if (expiry !== undefined) this.#schedule(renewDelayMs(expiry, Date.now()));
        break;
      }
      case "refused":
        // Not signed in (or not allowed): the room decides; a private one refuses and the page says so.
        this.#connection.open();
        break;
      case "unreachable":
        // Offline or the endpoint is down: ask again on `online`, and after a while in case that never fires.
        this.#schedule(LIMITS.roomTokenRetryMs);
        // A socket held for its first token never closes, so the connection cannot say it is offline itself.
        this.#connection.tokenUnreachable();
        break;
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#renew(), delayMs);
  }
}

/** The deploy's token endpoint, or undefined; offline, the one this browser last heard of. */
async function loadTokenEndpoint(): Promise<string | undefined> {
  try {
    const response = await fetch("/embed-config.json", {
      cache: "no-store",
      signal: AbortSignal.timeout(LIMITS.accessFetchTimeoutMs),
    });
    if (!response.ok) throw new Error(`embed config answered ${response.status}`);
    const endpoint = parseEmbedConfig(await response.json())?.roomTokenEndpoint;
    if (endpoint === undefined) localStorage.removeItem(ENDPOINT_KEY);
    else localStorage.setItem(ENDPOINT_KEY, endpoint);
    return endpoint;
  } catch {
    return localStorage.getItem(ENDPOINT_KEY) ?? undefined;
  }
}

async function fetchRoomToken(endpoint: string, roomId: string): Promise<TokenAnswer> {
  const url = new URL(endpoint);
  url.searchParams.set("room", roomId);
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: "include",
      cache: "no-store",
      signal: AbortSignal.timeout(LIMITS.accessFetchTimeoutMs),
    });
  } catch {
    return { kind: "unreachable" };
  }
  // A server error is the endpoint's trouble, not a refusal: keep the local changes and ask again later.
  if (response.status >= 500) return { kind: "unreachable" };
  if (!response.ok) return { kind: "refused" };
  const token = (await response.text().catch(() => "")).trim();
  // Only a compact JWT goes on: it travels in a header, and the Worker verifies it.
  return isCompactJws(token) ? { kind: "token", token } : { kind: "refused" };
}
