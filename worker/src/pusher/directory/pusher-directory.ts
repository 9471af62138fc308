/**
 * The directory of a Pusher app's occupied channels (one object per app,
 * named by the app id): what `GET /apps/<id>/channels` lists. Each channel
 * object tells it when it becomes occupied or vacated (directory-sync.ts);
 * both calls are idempotent, so a channel may repeat itself after a failure.
 * `#server-to-user-` channels are never entered (listing them would list users).
 *
 * Bounds: a listing returns at most `PUSHER_HTTP_LIMITS.maxListedChannels`
 * names and says when more match, so a caller narrows its prefix instead of
 * this object reading an unbounded table into one answer. The table itself
 * holds one row per occupied channel, each held up by a live subscription.
 */
import { PUSHER_HTTP_LIMITS } from "@edgeroom/shared/pusher";
import { DurableObject } from "cloudflare:workers";

export interface ChannelListing {
  /** Occupied channel names under the prefix, sorted, at most `maxListedChannels`. */
  channels: string[];
  /** More channels match than were listed. */
  more: boolean;
}

/** The directory's RPC methods (`env.PusherDirectory.getByName(appId)`). */
export interface DirectoryRpc {
  occupied(channel: string): Promise<void>;
  vacated(channel: string): Promise<void>;
  list(prefix: string): Promise<ChannelListing>;
}

/** Above every character a channel name may hold, so `[prefix, prefix + this)` is every name under the prefix. */
const AFTER_NAME_CHARACTERS = "\u007f";

export class PusherDirectory extends DurableObject<Env> implements DirectoryRpc {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS occupied_channels (
      name TEXT PRIMARY KEY, since INTEGER NOT NULL) WITHOUT ROWID`);
  }

  async occupied(channel: string): Promise<void> {
    this.#sql.exec(
      `INSERT OR IGNORE INTO occupied_channels (name, since) VALUES (?, ?)`,
      channel,
      Date.now(),
    );
  }

  async vacated(channel: string): Promise<void> {
    this.#sql.exec(`DELETE FROM occupied_channels WHERE name = ?`, channel);
  }

  async list(prefix: string): Promise<ChannelListing> {
    const limit = PUSHER_HTTP_LIMITS.maxListedChannels;
    // A range on the primary key: the read stops after limit + 1 rows, however many channels there are.
    const rows = this.#sql
      .exec<{ name: string }>(
        `SELECT name FROM occupied_channels WHERE name >= ? AND name < ? ORDER BY name LIMIT ?`,
        prefix,
        prefix + AFTER_NAME_CHARACTERS,
        limit + 1,
      )
      .toArray();
    return { channels: rows.slice(0, limit).map((row) => row.name), more: rows.length > limit };
  }
}
