/**
 * Custom events between sockets: relayed to everyone else with the sender
 * as the room knows it (never as it claims), never stored. Besides each
 * socket's `events` rate bucket, the room holds one budget of event bytes
 * for all senders together, since every event is multiplied by the room's size.
 */
import { ErrorCode, LIMITS, type CustomEvent, type EventSender } from "@edgeroom/shared";
import type { SocketId } from "./effects.ts";
import { refuse, type PeerState, type Reaction } from "./reaction.ts";
import { fullBucket, hasCredit, spend, type Bucket } from "./token-bucket.ts";

export class EventRelay {
  readonly #now: () => number;
  #bytes: Bucket | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  relay(peerId: SocketId, peer: PeerState, event: CustomEvent): Reaction {
    const now = this.#now();
    const budget = LIMITS.roomEventBytes;
    this.#bytes ??= fullBucket(budget, now);
    if (!hasCredit(this.#bytes, budget, now)) {
      const message = "the room is relaying too many custom events; try again shortly";
      return refuse({ type: "error", code: ErrorCode.rateLimited, message });
    }
    spend(this.#bytes, budget, now, JSON.stringify(event).length);
    return { out: [{ to: "others", app: { type: "event", event, from: socketSender(peerId, peer) } }] };
  }
}

function socketSender(key: SocketId, peer: PeerState): EventSender {
  const from: EventSender = { kind: "socket", key };
  if (peer.person) from.person = peer.person;
  if (peer.user) from.user = peer.user;
  return from;
}
