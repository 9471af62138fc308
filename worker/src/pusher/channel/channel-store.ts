/**
 * What a channel object keeps in its SQLite storage, so it survives
 * hibernation: its own name (learned from the first subscriber, since RPC
 * callers and alarms come without it) and, for bridged presence channels,
 * the Edgeroom room's people.
 */
import type { PresenceMember } from "../channel-contract.ts";

export class ChannelStore {
  readonly #sql: SqlStorage;

  constructor(storage: DurableObjectStorage) {
    this.#sql = storage.sql;
    this.#sql.exec("CREATE TABLE IF NOT EXISTS channel_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS room_members (position INTEGER PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, user_info TEXT)",
    );
  }

  channelName(): string | undefined {
    const row = this.#sql
      .exec<{ value: string }>("SELECT value FROM channel_meta WHERE key = 'channel'")
      .toArray()[0];
    return row?.value;
  }

  rememberChannelName(name: string): void {
    this.#sql.exec("INSERT OR IGNORE INTO channel_meta (key, value) VALUES ('channel', ?)", name);
  }

  roomMembers(): PresenceMember[] {
    return this.#sql
      .exec<{ user_id: string; user_info: string | null }>(
        "SELECT user_id, user_info FROM room_members ORDER BY position",
      )
      .toArray()
      .map((row) =>
        row.user_info === null
          ? { user_id: row.user_id }
          : { user_id: row.user_id, user_info: JSON.parse(row.user_info) as unknown },
      );
  }

  replaceRoomMembers(members: readonly PresenceMember[]): void {
    this.#sql.exec("DELETE FROM room_members");
    members.forEach((member, position) => {
      const info = member.user_info === undefined ? null : JSON.stringify(member.user_info);
      this.#sql.exec(
        "INSERT OR IGNORE INTO room_members (position, user_id, user_info) VALUES (?, ?, ?)",
        position,
        member.user_id,
        info,
      );
    });
  }
}
