/**
 * What each R2 snapshot carries in its custom metadata: who edited in it,
 * and what access depends on, so a room rebuilt from R2 comes back exactly
 * as closed as it was. R2 refuses a put whose metadata passes 2 KiB, and
 * names alone can do that (JSON writes a control character as 6 bytes), so
 * names are cleaned and dropped until the whole record fits
 * `LIMITS.snapshotMetadataBytes`, measured as stored.
 */
import { LIMITS } from "@edgeroom/shared";

/** What access depends on; every snapshot carries it. */
export interface RoomAccessFlags {
  /** The room refuses sockets without a valid token (for good, once set). */
  private: boolean;
}

/** The metadata keys; `private` is present (as "1") only on private rooms' snapshots. */
export const METADATA_KEYS = { editors: "editors", private: "private" } as const;

export function toCustomMetadata(
  editors: readonly string[],
  access: RoomAccessFlags,
): Record<string, string> {
  const metadata: Record<string, string> = { [METADATA_KEYS.editors]: JSON.stringify(editors) };
  if (access.private) metadata[METADATA_KEYS.private] = "1";
  return metadata;
}

/** Metadata is ours, but an object can be written by hand: anything odd reads as "nobody known", public. */
export function readCustomMetadata(metadata: Record<string, string> | undefined): {
  editors: string[];
  access: RoomAccessFlags;
} {
  return {
    editors: readEditors(metadata?.[METADATA_KEYS.editors]),
    access: { private: metadata?.[METADATA_KEYS.private] === "1" },
  };
}

/**
 * The editors a snapshot can name within the budget: control characters
 * (invisible, and 6 bytes each in JSON) removed, names cut to the name
 * length, and any name that would push the record past the budget left out.
 */
export function fitEditors(names: readonly string[], access: RoomAccessFlags): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const clean = name
      .replace(/\p{Cc}/gu, "")
      .trim()
      .slice(0, LIMITS.maxNameLength);
    if (clean === "" || kept.includes(clean)) continue;
    const candidate = [...kept, clean];
    if (metadataBytes(toCustomMetadata(candidate, access)) <= LIMITS.snapshotMetadataBytes) kept.push(clean);
  }
  return kept;
}

/** Bytes a metadata record takes, counted the stricter of the two ways R2 implementations count it. */
export function metadataBytes(metadata: Record<string, string>): number {
  let total = 0;
  for (const [key, value] of Object.entries(metadata)) total += storedBytes(key) + storedBytes(value);
  return total;
}

const encoder = new TextEncoder();

function storedBytes(text: string): number {
  const utf8 = encoder.encode(text).byteLength;
  // Local R2 (miniflare) counts 2 bytes a UTF-16 unit once any is past Latin-1.
  const units = /[\u0100-\uffff]/.test(text) ? text.length * 2 : text.length;
  return Math.max(utf8, units);
}

function readEditors(json: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(json ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === "string") : [];
  } catch {
    return [];
  }
}
