/**
 * A room's saved versions: when to write the next snapshot to R2 (the rule
 * is in snapshot-schedule.ts), the index of versions, who edited in each,
 * and restoring a room whose storage is empty from its newest snapshot.
 * Everything it needs between alarms lives in SQLite, so an alarm that
 * fires after the object was evicted still knows what to do; that includes
 * the back-off after failed puts, so waking from hibernation (every ~10 s
 * idle) cannot turn a failing put back into a retry every few seconds.
 */
import { DOCUMENT_TEXT, LIMITS, type Version } from "@edgeroom/shared";
import * as Y from "yjs";
import type { UpdateStore } from "../room/update-store.ts";
import type { SnapshotArchive } from "./snapshot-archive.ts";
import { fitEditors, type RoomAccessFlags } from "../snapshots/snapshot-metadata.ts";
import { nextSnapshotStep, type SnapshotClock } from "../snapshots/snapshot-schedule.ts";
import { versionsToPrune } from "../snapshots/version-retention.ts";

/** The snapshot about to be put: its version, and the newest edit it holds (undefined: no edits, an access change). */
export interface DueSnapshot {
  version: Version;
  newestEditSeq: number | undefined;
}

/** A document, or what encodes the room's, called only when a snapshot is due (tests pass a Y.Doc). */
export type DocumentSource = Y.Doc | (() => Uint8Array);

interface StateRow extends Record<string, SqlStorageValue> {
  dirty_since: number | null;
  last_edit_at: number;
  last_write_at: number | null;
  flush: number;
  edit_seq: number;
}

export class Snapshotter {
  readonly #sql: SqlStorage;
  readonly #archive: SnapshotArchive;
  readonly #roomId: string;
  readonly #now: () => number;
  /** This object's storage had never held snapshot state: new, or wiped. */
  readonly #freshStorage: boolean;
  /** Whether edits wait for a snapshot, as SQLite says; unknown until first needed after a wake. */
  #dirty: boolean | undefined;

  constructor(sql: SqlStorage, archive: SnapshotArchive, roomId: string, now: () => number = Date.now) {
    this.#sql = sql;
    this.#archive = archive;
    this.#roomId = roomId;
    this.#now = now;
    this.#freshStorage =
      sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_state'`).toArray()
        .length === 0;
    sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      dirty_since INTEGER, last_edit_at INTEGER NOT NULL DEFAULT 0, last_write_at INTEGER,
      flush INTEGER NOT NULL DEFAULT 0, edit_seq INTEGER NOT NULL DEFAULT 0)`);
    // Read first: an ignored insert still counts as a billed row write, on every wake.
    if (sql.exec(`SELECT 1 FROM snapshot_state WHERE id = 1`).toArray().length === 0)
      sql.exec(`INSERT INTO snapshot_state (id) VALUES (1)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_editors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_versions (
      at INTEGER PRIMARY KEY, bytes INTEGER NOT NULL, editors TEXT NOT NULL)`);
    // Its own table, so rooms created before it need no migration of snapshot_state.
    sql.exec(`CREATE TABLE IF NOT EXISTS snapshot_retry (
      id INTEGER PRIMARY KEY CHECK (id = 1), failures INTEGER NOT NULL, retry_at INTEGER NOT NULL)`);
  }

  /**
   * Notes a stored edit. Returns when the next snapshot is due if this edit
   * made the room dirty (the caller sets an alarm); undefined if one is due already.
   */
  noteEdit(editor: string): number | undefined {
    const { due, seq } = this.#markDirty();
    this.#sql.exec(
      `INSERT INTO snapshot_editors (name, seq) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq`,
      editor,
      seq,
    );
    return due;
  }

  /** Access changed (the room turned private): the next snapshot must carry it, edits or not. */
  noteAccessChange(): number | undefined {
    return this.#markDirty().due;
  }

  #markDirty(): { due: number | undefined; seq: number } {
    const now = this.#now();
    // Read from SQLite once per wake; each edit after that costs no extra read.
    this.#dirty ??= this.#state().dirty_since !== null;
    const wasClean = !this.#dirty;
    this.#dirty = true;
    const { edit_seq: seq } = this.#sql
      .exec<{ edit_seq: number }>(
        `UPDATE snapshot_state SET edit_seq = edit_seq + 1, last_edit_at = ?,
           dirty_since = COALESCE(dirty_since, ?) WHERE id = 1 RETURNING edit_seq`,
        now,
        now,
      )
      .one();
    return { due: wasClean ? this.dueAt() : undefined, seq };
  }

  /** The last person left: write as soon as allowed. Returns when, or undefined if nothing is unsaved. */
  flushSoon(): number | undefined {
    this.#sql.exec(`UPDATE snapshot_state SET flush = 1 WHERE id = 1 AND dirty_since IS NOT NULL`);
    return this.dueAt();
  }

  /** When the next snapshot should be written, if anything is unsaved (never before a back-off ends). */
  dueAt(): number | undefined {
    const step = nextSnapshotStep(this.#clock());
    if (step.kind === "idle") return undefined;
    const at = step.kind === "write" ? this.#now() : step.until;
    return Math.max(at, this.#retry()?.retry_at ?? 0);
  }

  /**
   * Writes a snapshot if one is due, carrying `access`; returns the new version,
   * if one was written. A failed put is logged once and backs off (see `#failed`).
   * `onDue` hears of each snapshot just before its put (for `document.updated`).
   */
  async runIfDue(
    document: DocumentSource,
    access: RoomAccessFlags,
    onDue?: (due: DueSnapshot) => void,
  ): Promise<Version | undefined> {
    if (nextSnapshotStep(this.#clock()).kind !== "write") return undefined;
    const retry = this.#retry();
    if (retry && retry.retry_at > this.#now()) return undefined;
    const { edit_seq: seq, last_write_at: lastWrite } = this.#state();
    // Strictly after the previous version, so two versions never share a key.
    const at = Math.max(this.#now(), (lastWrite ?? 0) + 1);
    const state = document instanceof Y.Doc ? Y.encodeStateAsUpdate(document) : document();
    const editorRows = this.#sql
      .exec<{ name: string; seq: number }>(
        `SELECT name, seq FROM snapshot_editors WHERE seq <= ? ORDER BY seq DESC LIMIT ?`,
        seq,
        LIMITS.maxEditorsNamed,
      )
      .toArray();
    const editors = editorRows.map((r) => r.name).sort((a, b) => a.localeCompare(b));
    const version: Version = { at, bytes: state.byteLength, editors: fitEditors(editors, access) };
    onDue?.({ version, newestEditSeq: editorRows[0]?.seq });
    try {
      await this.#archive.put(this.#roomId, version, state, access);
    } catch (error) {
      this.#failed(retry?.failures ?? 0, error);
      return undefined;
    }
    if (retry) this.#sql.exec(`DELETE FROM snapshot_retry`);
    // Edits stored while the write was in flight are not in it: they keep the room dirty.
    this.#sql.exec(`DELETE FROM snapshot_editors WHERE seq <= ?`, seq);
    this.#sql.exec(
      `UPDATE snapshot_state SET last_write_at = ?, flush = 0,
         dirty_since = CASE WHEN edit_seq = ? THEN NULL ELSE ? END WHERE id = 1`,
      at,
      seq,
      this.#now(),
    );
    this.#dirty = undefined;
    this.#index(version);
    await this.#prune();
    return version;
  }

  /** Saved versions, oldest first. */
  versions(): Version[] {
    return this.#sql
      .exec<{ at: number; bytes: number; editors: string }>(
        `SELECT at, bytes, editors FROM snapshot_versions ORDER BY at`,
      )
      .toArray()
      .map((row) => ({ at: row.at, bytes: row.bytes, editors: JSON.parse(row.editors) as string[] }));
  }

  /** When the document last changed (epoch ms): the last stored edit, else the newest version's time; null if never. */
  lastEditAt(): number | null {
    const edited = this.#state().last_edit_at;
    if (edited > 0) return edited;
    return this.versions().at(-1)?.at ?? null;
  }

  /** Deletes every version of the room in R2 (the room is being deleted). */
  deleteArchive(): Promise<void> {
    return this.#archive.deleteRoom(this.#roomId);
  }

  /** A saved version's document text, or undefined if there is no such version. */
  async text(at: number): Promise<string | undefined> {
    if (!this.versions().some((v) => v.at === at)) return undefined;
    const state = await this.#archive.get(this.#roomId, at);
    if (!state) return undefined;
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, state);
      return doc.getText(DOCUMENT_TEXT).toString();
    } finally {
      doc.destroy();
    }
  }

  /**
   * A room whose storage is empty (a new object, or local state wiped)
   * starts from its newest snapshot in R2 and gets its index of versions
   * back; edits from then on are logged on top as usual. Returns the access
   * flags the snapshots carried (private if any version was: a room never
   * turns public again), or undefined when there was nothing to restore.
   */
  async restoreIfEmpty(store: UpdateStore): Promise<RoomAccessFlags | undefined> {
    if (!this.#freshStorage || store.byteSize() > 0) return undefined;
    const versions = await this.#archive.list(this.#roomId);
    const newest = versions.at(-1);
    if (!newest) return undefined;
    const access: RoomAccessFlags = { private: versions.some((v) => v.access.private) };
    const state = await this.#archive.get(this.#roomId, newest.at);
    if (!state) return access;
    store.replaceWith(state);
    for (const version of versions) this.#index(version);
    this.#sql.exec(`UPDATE snapshot_state SET last_write_at = ? WHERE id = 1`, newest.at);
    return access;
  }

  #retry(): { failures: number; retry_at: number } | undefined {
    return this.#sql
      .exec<{ failures: number; retry_at: number }>(`SELECT failures, retry_at FROM snapshot_retry`)
      .toArray()[0];
  }

  /** Backs off exponentially from `snapshotRetryMinMs` to `snapshotRetryMaxMs`, logging each failure once. */
  #failed(failuresBefore: number, error: unknown): void {
    const failures = failuresBefore + 1;
    const wait = Math.min(
      LIMITS.snapshotRetryMaxMs,
      LIMITS.snapshotRetryMinMs * 2 ** Math.min(failures - 1, 20),
    );
    this.#sql.exec(
      `INSERT OR REPLACE INTO snapshot_retry (id, failures, retry_at) VALUES (1, ?, ?)`,
      failures,
      this.#now() + wait,
    );
    console.error(
      `Edgeroom: snapshot of room ${this.#roomId} failed (${failures} in a row); next try in ${Math.round(wait / 1000)} s:`,
      error,
    );
  }

  #index(version: Version): void {
    this.#sql.exec(
      `INSERT OR REPLACE INTO snapshot_versions (at, bytes, editors) VALUES (?, ?, ?)`,
      version.at,
      version.bytes,
      JSON.stringify(version.editors),
    );
  }

  async #prune(): Promise<void> {
    const doomed = versionsToPrune(this.versions().map((v) => v.at));
    if (doomed.length === 0) return;
    await this.#archive.delete(this.#roomId, doomed);
    for (const at of doomed) this.#sql.exec(`DELETE FROM snapshot_versions WHERE at = ?`, at);
  }

  #state(): StateRow {
    return this.#sql.exec<StateRow>(`SELECT * FROM snapshot_state WHERE id = 1`).one();
  }

  #clock(): SnapshotClock {
    const row = this.#state();
    return {
      now: this.#now(),
      dirtySince: row.dirty_since,
      lastEditAt: row.last_edit_at,
      lastWriteAt: row.last_write_at,
      flush: row.flush === 1,
    };
  }
}
