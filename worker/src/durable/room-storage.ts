/**
 * Everything the room object keeps outside memory, behind one face: the
 * document, chat and the room's name in SQLite, the private flag, the snapshots in R2 and
 * their schedule, and the one alarm. Everything it needs between alarms
 * lives in storage, so an object woken after eviction knows what to do;
 * that includes the webhook outbox, whose next try is part of the alarm's plan.
 */
import type { Version } from "@edgeroom/shared";
import type { Admission } from "../room/admission.ts";
import type { StorageEffect } from "../room/effects.ts";
import type { ChatStore } from "../room/chat-store.ts";
import type { RoomNameStore } from "../room/room-name.ts";
import { VersionReader, type VersionAnswer } from "../snapshots/version-reader.ts";
import { webhookTarget, type WebhookSettings, type WebhookTarget } from "../webhooks/webhook-config.ts";
import { RoomAccess } from "./room-access.ts";
import { R2SnapshotArchive } from "./snapshot-archive.ts";
import { Snapshotter, type DueSnapshot } from "./snapshotter.ts";
import { SqliteChatStore } from "./sqlite-chat-store.ts";
import { SqliteRoomNameStore } from "./sqlite-room-name-store.ts";
import { SqliteUpdateStore } from "./sqlite-update-store.ts";
import { SqliteWebhookOutbox } from "./sqlite-webhook-outbox.ts";
import { WebhookDelivery } from "./webhook-delivery.ts";

export class RoomStorage {
  readonly updates: SqliteUpdateStore;
  readonly chat: ChatStore;
  readonly roomName: RoomNameStore;
  readonly snapshots: Snapshotter;
  readonly versionReader: VersionReader;
  readonly #access: RoomAccess;
  readonly #storage: DurableObjectStorage;
  readonly #roomId: string;
  /** Undefined while webhooks are off: then nothing is stored for them. */
  readonly #outbox: SqliteWebhookOutbox | undefined;
  readonly #webhooks: WebhookDelivery;

  private constructor(
    storage: DurableObjectStorage,
    archive: R2Bucket,
    roomId: string,
    target: WebhookTarget,
  ) {
    this.#storage = storage;
    this.#roomId = roomId;
    this.#outbox = target.kind === "off" ? undefined : new SqliteWebhookOutbox(storage.sql, roomId);
    this.#webhooks = new WebhookDelivery(this.#outbox, target, roomId);
    this.#access = new RoomAccess(storage.sql);
    this.updates = new SqliteUpdateStore(storage);
    this.chat = new SqliteChatStore(storage.sql);
    this.roomName = new SqliteRoomNameStore(storage.sql);
    this.snapshots = new Snapshotter(storage.sql, new R2SnapshotArchive(archive), roomId);
    this.versionReader = new VersionReader((at) => this.snapshots.text(at));
  }

  /**
   * Opens the room's storage; a room whose storage is empty comes back from its newest snapshot in R2.
   * `webhooks` is the Worker's WEBHOOK_URL and WEBHOOK_SECRET (none: webhooks off).
   */
  static async open(
    storage: DurableObjectStorage,
    archive: R2Bucket,
    roomId: string,
    webhooks: WebhookSettings = {},
  ): Promise<RoomStorage> {
    const opened = new RoomStorage(storage, archive, roomId, await webhookTarget(webhooks));
    // Access first: the room admits no socket before it knows it is private (onStart blocks them).
    const restoredAccess = await opened.snapshots.restoreIfEmpty(opened.updates);
    if (restoredAccess) opened.#access.restore(restoredAccess);
    // Events left waiting (a secret fixed by a deploy, an alarm lost) are due again.
    await opened.#wakeBy(opened.#webhooks.nextDueAt());
    return opened;
  }

  admit(request: Request): Admission {
    return this.#access.admit(request);
  }

  get isPrivate(): boolean {
    return this.#access.isPrivate;
  }

  /** Takes `sub`'s access back as of `at` (see RoomAccess.revoke). */
  revoke(sub: string, scope: "view" | "all", at: number): void {
    this.#access.revoke(sub, scope, at);
  }

  /**
   * Deletes everything the room keeps. R2 first: a room whose SQLite is
   * empty is rebuilt from its newest version there, so SQLite goes only once
   * R2 is empty, and R2 is swept once more for a snapshot put that was in
   * flight. This object must not be used afterwards: open a new one.
   */
  async deleteEverything(): Promise<void> {
    // Undelivered webhooks go with the rest; a delivery in flight must not write into the new tables.
    this.#webhooks.retire();
    await this.snapshots.deleteArchive();
    await this.#storage.deleteAlarm();
    await this.#storage.deleteAll();
    await this.snapshots.deleteArchive();
  }

  carryOut(effect: StorageEffect): Promise<void> {
    switch (effect.kind) {
      case "wake-by":
        return this.#wakeBy(effect.at);
      case "note-edit":
        return this.#wakeBy(this.snapshots.noteEdit(effect.editor));
      case "note-access-change":
        return this.#wakeBy(this.snapshots.noteAccessChange());
      case "flush-snapshot-soon":
        return this.#wakeBy(this.snapshots.flushSoon());
      case "plan-alarm":
        return this.#planAlarm(effect.sweepAfterMs, effect.tokenExpiresAt);
      case "webhook":
        return this.#wakeBy(this.#webhooks.enqueue(effect.event));
    }
  }

  /**
   * Sends the outbox's due webhooks (the alarm calls this after its own work), then makes sure
   * the alarm comes back for a retry. Never throws, and a slow receiver holds nothing a frame needs.
   */
  async deliverWebhooks(): Promise<void> {
    await this.#webhooks.deliverDue();
    try {
      await this.#wakeBy(this.#webhooks.nextDueAt());
    } catch (error) {
      console.error(`Edgeroom: planning the webhook retry of room ${this.#roomId} failed:`, error);
    }
  }

  /** Sets the alarm to `time` unless it is already set to go off sooner. */
  async #wakeBy(time: number | undefined): Promise<void> {
    if (time === undefined) return;
    const current = await this.#storage.getAlarm();
    if (current === null || current > time) await this.#storage.setAlarm(time);
  }

  /**
   * Sets the alarm to the soonest of the sweep (counted from now), a token's expiry, the next snapshot
   * and a webhook retry. A webhook due now is left out: the alarm that plans this sends it next
   * (`deliverWebhooks`) and lowers the alarm to the outbox's next try itself.
   */
  async #planAlarm(sweepAfterMs: number | undefined, tokenExpiresAt: number | undefined): Promise<void> {
    const now = Date.now();
    const sweep = sweepAfterMs === undefined ? Infinity : now + sweepAfterMs;
    const webhook = this.#webhooks.nextDueAt() ?? Infinity;
    const retry = webhook > now ? webhook : Infinity;
    const next = Math.min(sweep, tokenExpiresAt ?? Infinity, this.snapshots.dueAt() ?? Infinity, retry);
    if (next !== Infinity) await this.#storage.setAlarm(next);
  }

  /** Writes a due snapshot of `state`; returns the versions after it, or undefined when none was written. */
  async saveSnapshotIfDue(state: () => Uint8Array): Promise<Version[] | undefined> {
    try {
      const saved = await this.snapshots.runIfDue(state, this.#access.flags(), (due) =>
        this.#announceEdits(due),
      );
      if (saved) this.#webhooks.enqueue({ type: "snapshot.stored", data: { version: saved } });
      await this.#wakeBy(this.#webhooks.nextDueAt());
      return saved ? this.snapshots.versions() : undefined;
    } catch (error) {
      // A failed put is logged and backed off inside the Snapshotter; this is anything after it (pruning).
      console.error(`Edgeroom: snapshot upkeep for room ${this.#roomId} failed:`, error);
      return undefined;
    }
  }

  /**
   * `document.updated` rides on the snapshot schedule (debounced like it): once per snapshot that
   * carries edits not announced before, even if its put then fails and is retried later.
   */
  #announceEdits(due: DueSnapshot): void {
    if (!this.#outbox || due.newestEditSeq === undefined) return;
    if (due.newestEditSeq <= this.#outbox.announcedEditSeq()) return;
    this.#outbox.noteAnnouncedEditSeq(due.newestEditSeq);
    const { bytes, editors } = due.version;
    this.#webhooks.enqueue({ type: "document.updated", data: { bytes, editors } });
  }

  readVersion(socket: string, at: number): Promise<VersionAnswer> {
    return this.versionReader.request(socket, at);
  }
}
