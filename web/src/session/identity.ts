/**
 * Who a page is in its room. Two sources: the identity the person chose (the
 * name prompt, an embed host's `set-user`) and the one the room verified from
 * a token. The verified one wins; the winner is applied only when it changes.
 */
import type { VerifiedIdentity } from "@edgeroom/shared";
import type { Identity } from "../lib/identity.ts";

/** The token names the person; the browser's secret id stays the browser's (it goes to the room alone, in hello). */
export function effectiveIdentity(chosen: Identity, verified: VerifiedIdentity | undefined): Identity {
  return verified ? { ...chosen, name: verified.name, color: verified.color } : chosen;
}

export class SessionIdentity {
  #chosen: Identity;
  #verified: VerifiedIdentity | undefined;
  #applied: Identity;
  readonly #apply: (identity: Identity) => void;

  /** `initial` is taken as applied already (the connection and chat start with it). */
  constructor(initial: Identity, apply: (identity: Identity) => void) {
    this.#chosen = initial;
    this.#applied = initial;
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

  #update(): void {
    const next = effectiveIdentity(this.#chosen, this.#verified);
    const same =
      next.name === this.#applied.name && next.color === this.#applied.color && next.id === this.#applied.id;
    if (same) return;
    this.#applied = next;
    this.#apply(next);
  }
}
