/**
 * The JSON the app's auth endpoint signs about a user: a presence
 * subscription's `channel_data` (`user_id`, `user_info`) and a sign-in's
 * `user_data` (`id`, more). Both are parsed and bounded after the signature
 * checks out, because a valid signature says who signed, not that the
 * content is sane.
 */
import { encodeUtf8 } from "lib0/string";
import * as v from "valibot";
import { PUSHER_LIMITS } from "./limits.ts";

const UserIdSchema = v.pipe(
  // Pusher's server libraries pass numbers through (e.g. Laravel's integer ids); Pusher treats them as strings.
  v.union([v.string(), v.pipe(v.number(), v.integer())], "must be a string"),
  v.transform(String),
  v.minLength(1, "must not be empty"),
  v.maxLength(PUSHER_LIMITS.maxUserIdLength, `must be at most ${PUSHER_LIMITS.maxUserIdLength} characters`),
);

const UserInfoSchema = v.pipe(
  v.unknown(),
  v.check(
    (info) =>
      info === undefined || encodeUtf8(JSON.stringify(info)).byteLength <= PUSHER_LIMITS.maxUserInfoBytes,
    `must be at most ${PUSHER_LIMITS.maxUserInfoBytes} bytes as JSON`,
  ),
);

export const ChannelDataSchema = v.object({ user_id: UserIdSchema, user_info: v.optional(UserInfoSchema) });
export type ChannelData = v.InferOutput<typeof ChannelDataSchema>;

export const UserDataSchema = v.looseObject({
  id: v.pipe(
    v.string("must be a string"),
    v.minLength(1, "must not be empty"),
    v.maxLength(PUSHER_LIMITS.maxUserIdLength, `must be at most ${PUSHER_LIMITS.maxUserIdLength} characters`),
  ),
  user_info: v.optional(UserInfoSchema),
});
export type UserData = v.InferOutput<typeof UserDataSchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Reads a presence subscription's `channel_data` (JSON text). */
export function parseChannelData(text: string): Parsed<ChannelData> {
  return parseJson(ChannelDataSchema, text, "channel_data");
}

/** Reads a sign-in's `user_data` (JSON text). */
export function parseUserData(text: string): Parsed<UserData> {
  if (encodeUtf8(text).byteLength > PUSHER_LIMITS.maxUserDataBytes) {
    return { ok: false, message: `user_data is at most ${PUSHER_LIMITS.maxUserDataBytes} bytes.` };
  }
  return parseJson(UserDataSchema, text, "user_data");
}

function parseJson<T>(schema: v.GenericSchema<unknown, T>, text: string, what: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: `${what} is not JSON.` };
  }
  const parsed = v.safeParse(schema, json);
  if (parsed.success) return { ok: true, value: parsed.output };
  const issue = parsed.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join(".");
  return { ok: false, message: `${what}${path ? `.${path}` : ""} ${issue.message}.` };
}
