/**
 * A room's name: the title people give a room (not its id, which is fixed
 * and lives in the URL). It follows the display-name rule (no control or
 * format characters, trimmed, runs of spaces as one) with its own length;
 * the empty string means "no name", and clients show a fallback.
 */
import * as v from "valibot";
import { cleanDisplayName, isDisplayNameText } from "./awareness-user.ts";
import { LIMITS } from "./limits.ts";

/** What a `room-name-set` may carry: refused (never cleaned by the room) past the limit or with a forbidden character. */
export const RoomNameSchema = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(LIMITS.maxRoomNameLength, `must be at most ${LIMITS.maxRoomNameLength} characters`),
  v.check(isDisplayNameText, "must not hold control or format characters"),
  v.transform((name) => name.replace(/\s+/g, " ")),
);

/** What a person typed, made into a name the room accepts (clients send only cleaned names). */
export function cleanRoomName(typed: string): string {
  return cleanDisplayName(typed, LIMITS.maxRoomNameLength);
}
