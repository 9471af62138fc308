/**
 * Keeps the app's directory (pusher-directory.ts) told whether this channel
 * is occupied. The channel stores what it wants the directory to hold and
 * what the directory last acknowledged, in its own SQLite, so a failed or
 * interrupted call is made again: at once on the next change or wake, and
 * by the channel's alarm with back-off after a failure. One call at a time,
 * always with the latest state, so the directory never ends on a stale one
 * however calls and failures interleave; its calls are idempotent.
 */
import { retryDelayMs } from "../../webhooks/retry-schedule.ts";
import type { DirectoryRpc } from "./pusher-directory.ts";

interface SyncRow extends Record<string, SqlStorageValue> {
  wanted: number;
  told: number | null;
  failures: number;
  next_at: number | null;
}

export class DirectorySync {
  readonly #sql: SqlStorage;
  readonly #channel: string;
  readonly #directory: () => DirectoryRpc;
  readonly #now: () => number;
  #tableReady = false;
  #inFlight: Promise<void> | undefined;

  constructor(sql: SqlStorage, channel: string, directory: () => DirectoryRpc, now: () => number = Date.now) {
    this.#sql = sql;
    this.#channel = channel;
    this.#directory = directory;
    this.#now = now;
  }

  /** Records the channel's state; the caller then runs `sync()`. */
  want(occupied: boolean): void {
    this.#ensureTable();
    this.#sql.exec(
      `INSERT INTO pusher_directory_sync (id, wanted) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET wanted = excluded.wanted, failures = 0, next_at = NULL`,
      occupied ? 1 : 0,
    );
  }

  /** Whether the directory is behind (a call is owed). */
  pending(): boolean {
    const row = this.#row();
    return row !== undefined && row.wanted !== row.told;
  }

  /** When the alarm should make the next call, if one is owed and none is out (a call out plans its own follow-up). */
  nextDueAt(): number | undefined {
    if (this.#inFlight) return undefined;
    const row = this.#row();
    if (!row || row.wanted === row.told) return undefined;
    return row.next_at ?? this.#now();
  }

  /** Tells the directory the latest state until it holds it, or a call fails. Never throws. */
  sync(): Promise<void> {
    // A call already out comes back here and checks again, so one loop is enough.
    this.#inFlight ??= this.#loop().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #loop(): Promise<void> {
    for (;;) {
      const row = this.#row();
      if (!row || row.wanted === row.told) return;
      const occupied = row.wanted === 1;
      try {
        const directory = this.#directory();
        await (occupied ? directory.occupied(this.#channel) : directory.vacated(this.#channel));
        this.#sql.exec(
          `UPDATE pusher_directory_sync SET told = ?, failures = 0, next_at = NULL WHERE id = 1`,
          row.wanted,
        );
      } catch (error) {
        const failures = row.failures + 1;
        this.#sql.exec(
          `UPDATE pusher_directory_sync SET failures = ?, next_at = ? WHERE id = 1`,
          failures,
          this.#now() + retryDelayMs(failures),
        );
        console.warn(
          `Edgeroom Pusher: telling the directory about ${this.#channel} failed (${failures} in a row):`,
          error,
        );
        return;
      }
    }
  }

  #row(): SyncRow | undefined {
    if (!this.#tableExists()) return undefined;
    return this.#sql
      .exec<SyncRow>(`SELECT wanted, told, failures, next_at FROM pusher_directory_sync WHERE id = 1`)
      .toArray()[0];
  }

  /** Created on the first change, so a channel only ever published to stores nothing. */
  #ensureTable(): void {
    if (this.#tableReady) return;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS pusher_directory_sync (
      id INTEGER PRIMARY KEY CHECK (id = 1), wanted INTEGER NOT NULL, told INTEGER,
      failures INTEGER NOT NULL DEFAULT 0, next_at INTEGER)`);
    this.#tableReady = true;
  }

  #tableExists(): boolean {
    if (this.#tableReady) return true;
    this.#tableReady = tableExists(this.#sql, "pusher_directory_sync");
    return this.#tableReady;
  }
}

export function tableExists(sql: SqlStorage, name: string): boolean {
  return sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, name).toArray().length > 0;
}
