/**
 * Who a page is in its room. Two sources: the identity the person chose (the
 * name prompt, an embed host's `set-user`) and the one the room verified from
 * a token. The verified one wins; the winner is applied only when it changes.
 */
import type { VerifiedIdentity } from "@edgeroom/shared";
import type { Identity } from "../lib/identity.ts";

/**
 * The token names the person; the browser's secret id stays the browser's (it goes to the room alone, in hello).
 * Without a token, the room's least-used colour (see room-color.ts) replaces the browser's, unless a host gave one.
 */
export function effectiveIdentity(
  chosen: Identity,
  verified: VerifiedIdentity | undefined,
  roomColor?: string,
): Identity {
  if (verified) return { ...chosen, name: verified.name, color: verified.color };
  if (roomColor !== undefined && !chosen.colorFixed) return { ...chosen, color: roomColor };
  return chosen;
}

export class SessionIdentity {
  #chosen: Identity;
  #verified: VerifiedIdentity | undefined;
  #roomColor: string | undefined;
  #applied: Identity;
  readonly #apply: (identity: Identity) => void;

  /** The connection and chat start with `current` (the room's remembered colour applied to `initial`). */
  constructor(initial: Identity, apply: (identity: Identity) => void, roomColor?: string) {
    this.#chosen = initial;
    this.#roomColor = roomColor;
    this.#applied = effectiveIdentity(initial, undefined, roomColor);
    this.#apply = apply;
  }

  get current(): Identity {
    return this.#applied;
  }

  choose(identity: Identity): void {
    this.#chosen = identity;
    this.#update();
  }

  verify(verified: VerifiedIdentity | undefined): void {
    this.#verified = verified;
    this.#update();
  }

  /** The colour chosen for this room once its people are known. */
  setRoomColor(color: string): void {
    this.#roomColor = color;
    this.#update();
  }

  #update(): void {
    const next = effectiveIdentity(this.#chosen, this.#verified, this.#roomColor);
    const same =
      next.name === this.#applied.name && next.color === this.#applied.color && next.id === this.#applied.id;
    if (same) return;
    this.#applied = next;
    this.#apply(next);
  }
}
