/**
 * A room's saved versions in R2, one object per version:
 * `rooms/<roomId>/snapshots/<epoch ms, 13 digits>.yjs`, each a compacted Yjs
 * update. Every key is written once, so R2's one-write-per-second-per-key
 * limit never bites, keys sort by time, and the editors and access flags
 * travel in the object's metadata (see snapshot-metadata.ts) so a room that
 * lost its storage can rebuild its index and comes back as closed as it was.
 */
import type { Version } from "@edgeroom/shared";
import {
  readCustomMetadata,
  toCustomMetadata,
  type RoomAccessFlags,
} from "../snapshots/snapshot-metadata.ts";
import { roomMeter } from "./room-meter.ts";

export type { RoomAccessFlags } from "../snapshots/snapshot-metadata.ts";

/** A version as the archive lists it: with the access flags its snapshot carried. */
export interface ArchivedVersion extends Version {
  access: RoomAccessFlags;
}

export interface SnapshotArchive {
  /** `version.editors` must already fit the metadata budget (see `fitEditors`). */
  put(roomId: string, version: Version, state: Uint8Array, access: RoomAccessFlags): Promise<void>;
  /** Every version of a room, oldest first. */
  list(roomId: string): Promise<ArchivedVersion[]>;
  get(roomId: string, at: number): Promise<Uint8Array | undefined>;
  delete(roomId: string, times: readonly number[]): Promise<void>;
  /** Deletes every object of the room, whatever its key. */
  deleteRoom(roomId: string): Promise<void>;
}

const KEY_PATTERN = /\/(\d{13})\.yjs$/;

export function snapshotKey(roomId: string, at: number): string {
  return `${snapshotPrefix(roomId)}${String(at).padStart(13, "0")}.yjs`;
}

function snapshotPrefix(roomId: string): string {
  return `${roomPrefix(roomId)}snapshots/`;
}

/** Everything R2 holds for one room lives under this prefix. */
export function roomPrefix(roomId: string): string {
  return `rooms/${roomId}/`;
}

/** `include` is in the R2 runtime API but missing from this version of the workers types. */
type ListOptions = R2ListOptions & { include?: Array<"httpMetadata" | "customMetadata"> };

export class R2SnapshotArchive implements SnapshotArchive {
  readonly #bucket: R2Bucket;

  constructor(bucket: R2Bucket) {
    this.#bucket = bucket;
  }

  async put(roomId: string, version: Version, state: Uint8Array, access: RoomAccessFlags): Promise<void> {
    roomMeter(roomId).r2("A");
    await this.#bucket.put(snapshotKey(roomId, version.at), state, {
      httpMetadata: { contentType: "application/octet-stream" },
      customMetadata: toCustomMetadata(version.editors, access),
    });
  }

  async list(roomId: string): Promise<ArchivedVersion[]> {
    const versions: ArchivedVersion[] = [];
    let cursor: string | undefined;
    do {
      const options: ListOptions = { prefix: snapshotPrefix(roomId), include: ["customMetadata"] };
      if (cursor) options.cursor = cursor;
      roomMeter(roomId).r2("A");
      const page = await this.#bucket.list(options);
      for (const object of page.objects) {
        const at = Number(KEY_PATTERN.exec(object.key)?.[1]);
        if (!Number.isSafeInteger(at)) continue;
        const { editors, access } = readCustomMetadata(object.customMetadata);
        versions.push({ at, bytes: object.size, editors, access });
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return versions.sort((a, b) => a.at - b.at);
  }

  async get(roomId: string, at: number): Promise<Uint8Array | undefined> {
    roomMeter(roomId).r2("B");
    const object = await this.#bucket.get(snapshotKey(roomId, at));
    return object ? new Uint8Array(await object.arrayBuffer()) : undefined;
  }

  async delete(roomId: string, times: readonly number[]): Promise<void> {
    if (times.length > 0) roomMeter(roomId).r2("A");
    if (times.length > 0) await this.#bucket.delete(times.map((at) => snapshotKey(roomId, at)));
  }

  async deleteRoom(roomId: string): Promise<void> {
    // A listing page holds at most 1,000 keys, which is also the most one delete call takes.
    for (;;) {
      roomMeter(roomId).r2("A");
      const page = await this.#bucket.list({ prefix: roomPrefix(roomId) });
      if (page.objects.length === 0) return;
      roomMeter(roomId).r2("A");
      await this.#bucket.delete(page.objects.map((object) => object.key));
      if (!page.truncated) return;
    }
  }
}
