/**
 * The device copy of one room's document: the Y.Doc persisted in IndexedDB
 * with y-indexeddb, so changes made offline survive a reload, a closed tab
 * and a browser restart, and go out in the next connection's sync reply.
 *
 * y-indexeddb stores every update but says nothing when a write is done or
 * fails; this adds that, for the saved indicator: IndexedDB runs transactions
 * on one store in the order they were made, so when a read transaction made
 * after a change completes, y-indexeddb's write of that change is finished,
 * and a failed write reports an error or abort on the database.
 */
import { clearDocument, IndexeddbPersistence } from "y-indexeddb";
import type * as Y from "yjs";

export function deviceCopyName(roomId: string): string {
  return `edgeroom:doc:${roomId}`;
}

/** Deletions still under way, so a copy opened right after one starts empty. */
const clearing = new Map<string, Promise<void>>();

/**
 * Deletes a room's device copy (after `closing`: the page's own copy shutting
 * down); a copy of that room opened meanwhile waits for it and starts empty.
 */
export function forgetDeviceCopy(roomId: string): Promise<void> {
  return deleteCopy(deviceCopyName(roomId), Promise.resolve());
}

async function deleteCopy(name: string, closing: Promise<void>): Promise<void> {
  const pending = closing
    .then(() => clearDocument(name))
    .catch((error: unknown) => {
      console.warn("Edgeroom: could not delete this device's copy of the document:", error);
    });
  clearing.set(name, pending);
  try {
    await pending;
  } finally {
    if (clearing.get(name) === pending) clearing.delete(name);
  }
}

export interface DeviceCopyEvents {
  /** The first `upTo` local changes (see `noteChange`) are written to the device. */
  stored(upTo: number): void;
  /** The device cannot keep this document (IndexedDB missing, failed or cleared). */
  lost(): void;
}

export class DeviceCopy {
  /** Resolves once the stored document is applied to the Y.Doc: true, or false when there is no device copy. */
  readonly loaded: Promise<boolean>;
  readonly #name: string;
  readonly #events: DeviceCopyEvents;
  #persistence: IndexeddbPersistence | undefined;
  #db: IDBDatabase | undefined;
  #gone = false;
  #made = 0;
  #confirming = false;
  #confirmAgain = false;

  /** `madeBefore`: changes already made to `doc`; the first write of a copy holds the whole document. */
  constructor(roomId: string, doc: Y.Doc, events: DeviceCopyEvents, madeBefore = 0) {
    this.#name = deviceCopyName(roomId);
    this.#events = events;
    this.#made = madeBefore;
    this.loaded = this.#open(doc);
  }

  /** A local change was made; `stored` follows once it is on the device. */
  noteChange(): void {
    this.#made += 1;
    if (this.#db) this.#confirm();
  }

  /** Stops keeping the document and deletes what the device holds of it. */
  async clear(): Promise<void> {
    await deleteCopy(this.#name, this.#close());
  }

  destroy(): void {
    void this.#close();
  }

  async #open(doc: Y.Doc): Promise<boolean> {
    await clearing.get(this.#name);
    if (this.#gone) return false;
    try {
      if (typeof indexedDB === "undefined") throw new Error("IndexedDB is not available");
      const persistence = new IndexeddbPersistence(this.#name, doc);
      this.#persistence = persistence;
      // y-indexeddb leaves a failed open unhandled and never syncs; catching it here lets the page go on.
      const db = await persistence._db;
      await persistence.whenSynced;
      if (this.#gone) return false;
      this.#db = db;
      const fail = (): void => this.#lose();
      db.addEventListener("error", fail);
      db.addEventListener("abort", fail);
      db.addEventListener("close", fail);
      this.#confirm();
      return true;
    } catch (error) {
      console.warn("Edgeroom: this device cannot keep a copy of the document:", error);
      this.#lose();
      return false;
    }
  }

  #confirm(): void {
    if (this.#confirming) {
      this.#confirmAgain = true;
      return;
    }
    const db = this.#db;
    if (!db || this.#gone) return;
    this.#confirming = true;
    // After y-indexeddb's own update listener has queued its write for this change.
    setTimeout(() => {
      const upTo = this.#made;
      try {
        const tx = db.transaction(["updates"], "readonly");
        tx.oncomplete = () => {
          this.#confirming = false;
          if (this.#gone) return;
          this.#events.stored(upTo);
          if (this.#confirmAgain) {
            this.#confirmAgain = false;
            this.#confirm();
          }
        };
        tx.onabort = () => this.#lose();
      } catch {
        this.#lose();
      }
    }, 0);
  }

  #lose(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#db = undefined;
    this.#events.lost();
  }

  async #close(): Promise<void> {
    const persistence = this.#persistence;
    this.#persistence = undefined;
    this.#lose();
    if (persistence) await persistence.destroy().catch(() => undefined);
  }
}
