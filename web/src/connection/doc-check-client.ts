/**
 * The client's half of the divergence check. Now and then, when the tab
 * comes back, and a little after the room dropped our updates over a rate
 * limit, it sends the document's hash. On a mismatch the room sends its
 * state vector (we answer with what it lacks, as after any sync step 1) and
 * we send ours, so the room sends what we lack: drift is repaired, not kept.
 * While the document stays as the room last confirmed it, the periodic check
 * goes out only every `LIMITS.docCheckIdleEvery`-th time: each is a billed
 * message that wakes the room, and an idle page has little to compare.
 */
import { documentHash, encodeSyncStep1, LIMITS } from "@edgeroom/shared";
import type * as Y from "yjs";

export interface DocCheckTransport {
  /** Sends an app-lane message if the lane is open; false otherwise. */
  sendApp(message: { type: "doc-check"; hash: string }): boolean;
  sendBinary(frame: Uint8Array): void;
  /** Only a synced client has a document worth comparing. */
  isSynced(): boolean;
}

export class DocCheckClient {
  readonly #doc: Y.Doc;
  readonly #transport: DocCheckTransport;
  #soon: ReturnType<typeof setTimeout> | undefined;
  readonly #interval: ReturnType<typeof setInterval>;
  /** The hash of our last check, and of the last one the room confirmed. */
  #sent: string | undefined;
  #confirmed: string | undefined;
  #skipped = 0;
  /** Called when the room confirmed it holds exactly our document. */
  onMatch: () => void = () => undefined;

  constructor(doc: Y.Doc, transport: DocCheckTransport, intervalMs: number = LIMITS.docCheckIntervalMs) {
    this.#doc = doc;
    this.#transport = transport;
    this.#interval = setInterval(() => this.#periodic(), intervalMs);
  }

  checkNow(): void {
    if (!this.#transport.isSynced()) return;
    this.#sent = documentHash(this.#doc);
    this.#skipped = 0;
    this.#transport.sendApp({ type: "doc-check", hash: this.#sent });
  }

  #periodic(): void {
    const unchanged = this.#confirmed !== undefined && documentHash(this.#doc) === this.#confirmed;
    if (unchanged && ++this.#skipped < LIMITS.docCheckIdleEvery) return;
    this.checkNow();
  }

  /** One check after `delayMs`, however often this is called meanwhile. */
  checkSoon(delayMs: number): void {
    if (this.#soon !== undefined) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.checkNow();
    }, delayMs);
  }

  /** The room's answer to our last check. */
  receive(match: boolean): void {
    this.#confirmed = match ? this.#sent : undefined;
    if (match) this.onMatch();
    else this.#transport.sendBinary(encodeSyncStep1(this.#doc));
  }

  destroy(): void {
    clearInterval(this.#interval);
    if (this.#soon !== undefined) clearTimeout(this.#soon);
  }
}
