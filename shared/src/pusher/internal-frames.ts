/**
 * What reaches a channel object from the Worker (worker/src/pusher/channel-contract.ts):
 * the `Subscriber` header on the internal subscribe request, client events
 * on internal sockets, and room members from the bridge. The Worker is
 * trusted, but these are still parsed and bounded, so a bug on one side
 * cannot corrupt the other's state.
 */
import * as v from "valibot";
import { PUSHER_LIMITS } from "./limits.ts";

const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(PUSHER_LIMITS.maxUserIdLength));

export const SubscriberSchema = v.object({
  channel: v.pipe(v.string(), v.minLength(1), v.maxLength(PUSHER_LIMITS.maxChannelNameLength)),
  socketId: v.pipe(v.string(), v.regex(/^\d+\.\d+$/)),
  userId: v.optional(IdSchema),
  userInfo: v.optional(v.unknown()),
  signedInUserId: v.optional(IdSchema),
});
export type InternalSubscriber = v.InferOutput<typeof SubscriberSchema>;

export const ClientEventFrameSchema = v.object({
  event: v.pipe(v.string(), v.startsWith("client-"), v.maxLength(PUSHER_LIMITS.maxEventNameLength)),
  data: v.unknown(),
});
export type InternalClientEvent = v.InferOutput<typeof ClientEventFrameSchema>;

export const PresenceMembersSchema = v.pipe(
  v.array(v.object({ user_id: IdSchema, user_info: v.optional(v.unknown()) })),
  v.maxLength(PUSHER_LIMITS.maxPresenceMembers * 10),
);

export function readSubscriber(header: string | null): InternalSubscriber | undefined {
  if (header === null) return undefined;
  try {
    const parsed = v.safeParse(SubscriberSchema, JSON.parse(header));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

export function readClientEvent(message: string | ArrayBuffer): InternalClientEvent | undefined {
  if (typeof message !== "string" || message.length > PUSHER_LIMITS.maxMessageBytes * 2) return undefined;
  try {
    const parsed = v.safeParse(ClientEventFrameSchema, JSON.parse(message));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}

/** The bridge's room members, at most `maxPresenceMembers` kept; undefined when malformed. */
export function readPresenceMembers(
  members: unknown,
): v.InferOutput<typeof PresenceMembersSchema> | undefined {
  const parsed = v.safeParse(PresenceMembersSchema, members);
  return parsed.success ? parsed.output.slice(0, PUSHER_LIMITS.maxPresenceMembers) : undefined;
}
