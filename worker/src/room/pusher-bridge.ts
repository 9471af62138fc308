/**
 * The room's side of the bridge to Pusher channels (pusher/bridge/): which
 * of its two bridged channels are on, and what they must hear after the
 * room's own effects. `presence-edgeroom-<room>` gets the room's people as
 * presence members whenever they change; `private-edgeroom-<room>` gets each
 * stored chat message and each relayed custom event. It only watches what
 * the room already does, so nothing from a Pusher client can enter the room
 * through it. Free of Workers: the host keeps the switches in storage
 * (so they survive hibernation) and carries out the calls (room-server.ts).
 * With both channels off, `on` is false and the host asks nothing more.
 */
import type { Person, ServerAppMessage } from "@edgeroom/shared";
import type { PresenceMember, PublishedEvent } from "../pusher/channel-contract.ts";
import { BRIDGE_EVENTS, bridgeChannels, type BridgeKind } from "../pusher/bridge/bridged-channel.ts";
import type { Effect } from "./effects.ts";

/** Pusher's largest event data (10 KB); a bigger chat message or event is left out of the channel. */
const MAX_EVENT_DATA_BYTES = 10 * 1024;
/** Pusher's most presence members per channel: the room's first this many people are shown. */
const MAX_MEMBERS = 100;
const UTF8 = new TextEncoder();

/** Which bridged channels are on, kept where it survives hibernation. */
export interface BridgeSwitches {
  on(): BridgeKind[];
  set(kind: BridgeKind, on: boolean): void;
}

export class MemoryBridgeSwitches implements BridgeSwitches {
  readonly #on = new Set<BridgeKind>();
  on(): BridgeKind[] {
    return [...this.#on];
  }
  set(kind: BridgeKind, on: boolean): void {
    if (on) this.#on.add(kind);
    else this.#on.delete(kind);
  }
}

/** What the host asks of a channel object (`ChannelRpc` in channel-contract.ts). */
export type BridgeCall =
  | { kind: "set-members"; channel: string; members: PresenceMember[] }
  | { kind: "publish"; channel: string; events: PublishedEvent[] };

export class PusherBridge {
  readonly #channels: Record<BridgeKind, string>;
  readonly #switches: BridgeSwitches;
  readonly #on: Set<BridgeKind>;
  /** The member list the presence channel last got (JSON), so an unchanged list is not sent again. */
  #sentMembers: string | undefined;

  constructor(room: string, switches: BridgeSwitches) {
    this.#channels = bridgeChannels(room);
    this.#switches = switches;
    this.#on = new Set(switches.on());
  }

  /** Some bridged channel is on: only then do the room's effects need a look. */
  get on(): boolean {
    return this.#on.size > 0;
  }

  /** The channels that are on, by name. */
  get channels(): string[] {
    return [...this.#on].map((kind) => this.#channels[kind]);
  }

  /** Which of this room's bridged channels `channel` is; undefined for any other channel. */
  kindOf(channel: string): BridgeKind | undefined {
    if (channel === this.#channels.presence) return "presence";
    if (channel === this.#channels.private) return "private";
    return undefined;
  }

  /** A bridged channel became occupied: it is on, and a presence channel gets the people here now. */
  opened(kind: BridgeKind, people: () => readonly Person[]): BridgeCall[] {
    if (!this.#on.has(kind)) {
      this.#on.add(kind);
      this.#switches.set(kind, true);
    }
    if (kind !== "presence") return [];
    // Sent even when unchanged: the channel may have been empty and forgotten the room's people.
    this.#sentMembers = undefined;
    return this.#members(people());
  }

  /** A bridged channel was vacated: nothing more goes to it. */
  closed(kind: BridgeKind): void {
    if (!this.#on.delete(kind)) return;
    this.#switches.set(kind, false);
    if (kind === "presence") this.#sentMembers = undefined;
  }

  /** What the channels that are on must hear after the room carried out `effects`. */
  after(effects: readonly Effect[], people: () => readonly Person[]): BridgeCall[] {
    const calls: BridgeCall[] = [];
    if (this.#on.has("private")) {
      const events = effects.flatMap(publishedEvent);
      if (events.length > 0) calls.push({ kind: "publish", channel: this.#channels.private, events });
    }
    if (this.#on.has("presence") && effects.some(mayChangePeople)) calls.push(...this.#members(people()));
    return calls;
  }

  /** A call to the presence channel failed: the next change sends the whole list again. */
  membersUnsent(): void {
    this.#sentMembers = undefined;
  }

  #members(people: readonly Person[]): BridgeCall[] {
    const members = people
      .slice(0, MAX_MEMBERS)
      .map((p) => ({ user_id: p.id, user_info: { name: p.name, color: p.color } }));
    const sent = JSON.stringify(members);
    if (sent === this.#sentMembers) return [];
    this.#sentMembers = sent;
    return [{ kind: "set-members", channel: this.#channels.presence, members }];
  }
}

/** Who is here can change when a socket's state does (hello, a name), when one goes, and when a person comes or leaves. */
function mayChangePeople(effect: Effect): boolean {
  if (effect.kind === "set-peer" || effect.kind === "evict") return true;
  return (
    effect.kind === "webhook" &&
    (effect.event.type === "person.joined" || effect.event.type === "person.left")
  );
}

/** A stored chat message or a relayed custom event, as a Pusher event; everything else the room sends stays inside it. */
function publishedEvent(effect: Effect): PublishedEvent[] {
  if (effect.kind !== "broadcast" || effect.frame instanceof Uint8Array) return [];
  const event = pusherEvent(effect.frame);
  if (!event) return [];
  if (UTF8.encode(event.data).byteLength > MAX_EVENT_DATA_BYTES) return [];
  return [event];
}

function pusherEvent(frame: ServerAppMessage): PublishedEvent | undefined {
  if (frame.type === "chat-message")
    return { event: BRIDGE_EVENTS.chat, data: JSON.stringify(frame.message) };
  if (frame.type === "event") {
    const { type, data } = frame.event;
    return { event: BRIDGE_EVENTS.custom, data: JSON.stringify({ type, data, from: frame.from }) };
  }
  return undefined;
}
