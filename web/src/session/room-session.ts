/**
 * Everything one page holds for one room and one person: the connection and
 * the features over it (chat, pointers, history), plus the page's layout
 * state. Created once per room (and per signed-in person), handed to the
 * components through React context, destroyed as a whole.
 *
 * Identity flows one way: the page says who it chose (the name prompt, the
 * host's `set-user`), the room says whom it verified (a host's token), and
 * the session applies the winner to the connection and the chat.
 */
import { RoomAccess } from "../access/room-access.ts";
import { ChatClient } from "../chat/chat-client.ts";
import { CloseCode } from "@edgeroom/shared";
import { RoomConnection } from "../connection/room-connection.ts";
import { EventsClient } from "../events/events-client.ts";
import { HistoryClient } from "../history/history-client.ts";
import type { Identity } from "../lib/identity.ts";
import { friendlyName, saveGuestName } from "../lib/friendly-name.ts";
import {
  chooseRoomColor,
  cryptoRandom,
  forgetRoomColor,
  loadRoomColor,
  saveRoomColor,
} from "../lib/room-color.ts";
import { PointerClient } from "../pointer/pointer-client.ts";
import { SessionIdentity, effectiveIdentity } from "./identity.ts";
import { countUnreadChat, createUiStore, type UiStore } from "./ui-store.ts";

export interface RoomSessionOptions {
  host: string;
  roomId: string;
  /** Who the person chose to be here; a verified token identity wins over it. */
  identity: Identity;
  /**
   * Where room tokens come from: the deploy's token endpoint (the room page,
   * which holds its socket until it knows whether it needs one), or the host
   * page of an embed (through `setToken`).
   */
  tokens: "endpoint" | "host";
  /** A host's token, when it gave one before the session began. */
  token?: string | undefined;
  /** An embed can turn the chat off; then no chat client exists. */
  chat: boolean;
}

export class RoomSession {
  readonly roomId: string;
  readonly connection: RoomConnection;
  readonly chat: ChatClient | undefined;
  readonly pointers: PointerClient;
  readonly history: HistoryClient;
  readonly events: EventsClient;
  readonly ui: UiStore = createUiStore();
  readonly #cleanups: Array<() => void> = [];
  readonly #identity: SessionIdentity;

  constructor(options: RoomSessionOptions) {
    this.roomId = options.roomId;
    const endpoint = options.tokens === "endpoint";
    // The colour this browser wore here last time, until the room's people are known.
    const rememberedColor = loadRoomColor(options.roomId);
    const identity = effectiveIdentity(options.identity, undefined, rememberedColor);
    this.connection = new RoomConnection({
      host: options.host,
      roomId: options.roomId,
      identity,
      token: options.token,
      // Held until the page knows whether this deploy hands out room tokens (see room-access.ts).
      held: endpoint,
    });
    this.chat = options.chat ? new ChatClient(this.connection, options.roomId, identity) : undefined;
    this.pointers = new PointerClient(this.connection);
    this.history = new HistoryClient(this.connection);
    this.events = new EventsClient(this.connection);
    if (endpoint) {
      const access = new RoomAccess(options.roomId, this.connection);
      void access.start();
      this.#cleanups.push(() => access.destroy());
    }
    this.#identity = new SessionIdentity(
      options.identity,
      (next) => {
        this.connection.setIdentity(next);
        this.chat?.setAuthor(next);
      },
      rememberedColor,
    );
    this.#cleanups.push(
      this.connection.state.subscribe((state, previous) => {
        if (state.verified !== previous.verified) this.#identity.verify(state.verified);
        if (state.closeCode === CloseCode.roomDeleted && previous.closeCode !== CloseCode.roomDeleted) {
          this.#forgetRoom();
        }
      }),
      this.#settleWhenSynced(options.identity, rememberedColor),
    );
    if (this.chat) this.#cleanups.push(countUnreadChat(this.connection.lane, this.ui));
  }

  /**
   * Once, at the first sync (the room sends everyone's awareness before its
   * sync reply): takes the least-used colour among the people present, and
   * swaps a made-up guest name that someone here already has for a free one.
   */
  #settleWhenSynced(chosen: Identity, remembered: string | undefined): () => void {
    const unsubscribe = this.connection.state.subscribe((state) => {
      if (state.status !== "synced") return;
      unsubscribe();
      const others = this.connection.presence.getState().people.filter((person) => !person.isSelf);
      const names = others.map((person) => person.name.toLowerCase());
      if (chosen.nameGenerated && names.includes(chosen.name.toLowerCase())) {
        const name = friendlyName(cryptoRandom, names);
        saveGuestName(name);
        this.#identity.choose({ ...chosen, name });
      }
      const taken = others.map((person) => person.color);
      const color = chooseRoomColor({ taken, remembered, random: cryptoRandom });
      saveRoomColor(this.roomId, color);
      this.#identity.setRoomColor(color);
    });
    return unsubscribe;
  }

  /**
   * The room was deleted (the connection already deletes the device copy and
   * stops): drop what else this browser keeps of it, so nothing is sent back.
   */
  #forgetRoom(): void {
    this.chat?.dropOutbox();
    forgetRoomColor(this.roomId);
  }

  /** "Start again" after the room was deleted: a fresh page in the (now empty) room, once the device copy is gone. */
  async startAgain(): Promise<void> {
    await this.connection.deviceCopyGone();
    location.reload();
  }

  /** The person chose a (new) name or colour. */
  setIdentity(identity: Identity): void {
    this.#identity.choose(identity);
  }

  /** A new room token (the host's answer to `token-needed`): same document, new socket. */
  setToken(token: string): void {
    this.connection.setToken(token);
  }

  destroy(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.events.destroy();
    this.history.destroy();
    this.pointers.destroy();
    this.chat?.destroy();
    this.connection.destroy();
  }
}
