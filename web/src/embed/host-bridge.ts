/**
 * The embed's side of the host page API. It talks to exactly one window, its
 * parent, and only when the parent's origin is Edgeroom's own or on the
 * allowlist the Worker serves: every send names that origin (never "*"), and
 * every received message must come from that window and origin and parse as
 * a host command. Messages from anywhere else are dropped (and logged, so a
 * page author can see why).
 */
import {
  EMBED_CHANNEL,
  parseEmbedConfig,
  parseHostCommand,
  type EmbedEvent,
  type HostCommand,
} from "@edgeroom/shared";

type Outgoing = EmbedEvent extends infer E ? (E extends EmbedEvent ? Omit<E, "channel"> : never) : never;

export class HostBridge {
  #hostOrigin: string | undefined;
  readonly #onCommand: (command: HostCommand) => void;
  /** Parts of the embed that act on commands themselves (`send-event` needs the room session). */
  readonly #listeners = new Set<(command: HostCommand) => void>();
  readonly #onMessage = (event: MessageEvent): void => this.#receive(event);

  constructor(onCommand: (command: HostCommand) => void) {
    this.#onCommand = onCommand;
    addEventListener("message", this.#onMessage);
  }

  /** Resolves the parent's origin against the allowlist; true when the host API is open. */
  async connect(): Promise<boolean> {
    if (window.parent === window) return false;
    const candidate = parentOrigin();
    const allowed = await fetchAllowedOrigins();
    if (candidate === undefined || !(candidate === location.origin || allowed.includes(candidate))) {
      console.warn(`Edgeroom embed: the host API is closed to ${candidate ?? "an unknown origin"}`);
      return false;
    }
    this.#hostOrigin = candidate;
    return true;
  }

  /** Hears every valid command from the host too; returns a function that stops it. */
  listen(listener: (command: HostCommand) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  send(event: Outgoing): void {
    if (this.#hostOrigin === undefined) return;
    window.parent.postMessage({ channel: EMBED_CHANNEL, ...event }, this.#hostOrigin);
  }

  destroy(): void {
    removeEventListener("message", this.#onMessage);
    this.#listeners.clear();
  }

  #receive(event: MessageEvent): void {
    const ours = typeof event.data === "object" && event.data !== null && "channel" in event.data;
    if (!ours || (event.data as { channel: unknown }).channel !== EMBED_CHANNEL) return;
    if (
      this.#hostOrigin === undefined ||
      event.source !== window.parent ||
      event.origin !== this.#hostOrigin
    ) {
      console.warn(`Edgeroom embed: ignored a message from ${event.origin}, which is not the allowed host`);
      return;
    }
    const command = parseHostCommand(event.data);
    if (command) {
      this.#onCommand(command);
      for (const listener of this.#listeners) listener(command);
    } else console.warn("Edgeroom embed: ignored a malformed host message");
  }
}

/** The framing page's origin: Chromium and Safari say it directly; elsewhere the referrer tells. */
function parentOrigin(): string | undefined {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor) return ancestor;
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

async function fetchAllowedOrigins(): Promise<string[]> {
  try {
    const response = await fetch("/embed-config.json", { cache: "no-store" });
    return parseEmbedConfig(await response.json())?.allowedOrigins ?? [];
  } catch {
    return [];
  }
}
