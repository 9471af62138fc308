/**
 * Every frame a Pusher client may send, parsed from the raw text before the
 * server acts on it. pusher-js sends `data` as a JSON object; some clients
 * send it as a JSON string, so both are read. Anything else gets a clear
 * reason, which the server sends back in `pusher:error`.
 */
import * as v from "valibot";
import { PUSHER_LIMITS } from "./limits.ts";

const ChannelNameSchema = v.pipe(v.string("channel must be a string"), v.minLength(1, "channel is empty"));

export const SubscribeDataSchema = v.object({
  channel: ChannelNameSchema,
  auth: v.optional(v.string("auth must be a string")),
  channel_data: v.optional(v.string("channel_data must be a JSON string")),
});

export const UnsubscribeDataSchema = v.object({ channel: ChannelNameSchema });

export const SigninDataSchema = v.object({
  auth: v.string("auth must be a string"),
  user_data: v.pipe(
    v.string("user_data must be a JSON string"),
    v.maxBytes(
      PUSHER_LIMITS.maxUserDataBytes,
      `user_data is at most ${PUSHER_LIMITS.maxUserDataBytes} bytes`,
    ),
  ),
});

const EnvelopeSchema = v.object({
  event: v.pipe(v.string("event must be a string"), v.minLength(1, "event is empty")),
  channel: v.optional(v.string("channel must be a string")),
  data: v.optional(v.unknown()),
});

const ClientEventNameSchema = v.pipe(
  v.string(),
  v.startsWith("client-", "client event names start with client-"),
  v.maxLength(
    PUSHER_LIMITS.maxEventNameLength,
    `event names are at most ${PUSHER_LIMITS.maxEventNameLength} characters`,
  ),
);

export type ClientFrame =
  | { type: "ping" }
  | { type: "pong" }
  | { type: "subscribe"; channel: string; auth: string | undefined; channelData: string | undefined }
  | { type: "unsubscribe"; channel: string }
  | { type: "signin"; auth: string; userData: string }
  | { type: "client-event"; event: string; channel: string; data: unknown };

export type ParsedClientFrame = { ok: true; frame: ClientFrame } | { ok: false; message: string };

/** Reads one text frame from a client; the caller has checked its size against `PUSHER_LIMITS.maxMessageBytes`. */
export function parseClientFrame(text: string): ParsedClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "Invalid message: not JSON." };
  }
  const envelope = v.safeParse(EnvelopeSchema, json);
  if (!envelope.success) return invalid(envelope.issues);
  const { event, channel } = envelope.output;
  const data = envelope.output.data;
  switch (event) {
    case "pusher:ping":
      return { ok: true, frame: { type: "ping" } };
    case "pusher:pong":
      return { ok: true, frame: { type: "pong" } };
    case "pusher:subscribe": {
      const parsed = v.safeParse(SubscribeDataSchema, readData(data));
      if (!parsed.success) return invalid(parsed.issues);
      const { channel: name, auth, channel_data } = parsed.output;
      return { ok: true, frame: { type: "subscribe", channel: name, auth, channelData: channel_data } };
    }
    case "pusher:unsubscribe": {
      const parsed = v.safeParse(UnsubscribeDataSchema, readData(data));
      if (!parsed.success) return invalid(parsed.issues);
      return { ok: true, frame: { type: "unsubscribe", channel: parsed.output.channel } };
    }
    case "pusher:signin": {
      const parsed = v.safeParse(SigninDataSchema, readData(data));
      if (!parsed.success) return invalid(parsed.issues);
      return {
        ok: true,
        frame: { type: "signin", auth: parsed.output.auth, userData: parsed.output.user_data },
      };
    }
  }
  if (!event.startsWith("client-")) {
    return {
      ok: false,
      message: `Unknown event ${JSON.stringify(event.slice(0, 64))}: clients may send only pusher: protocol events and client- events.`,
    };
  }
  const name = v.safeParse(ClientEventNameSchema, event);
  if (!name.success) return invalid(name.issues);
  if (channel === undefined || channel === "") {
    return { ok: false, message: "Invalid message: a client event needs a channel." };
  }
  return { ok: true, frame: { type: "client-event", event, channel, data } };
}

/** `data` as an object, from an object or a JSON string of one. */
function readData(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function invalid(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): ParsedClientFrame {
  const issue = issues[0];
  const path = issue.path?.map((item) => String(item.key)).join(".");
  return { ok: false, message: `Invalid message: ${path ? `${path}: ` : ""}${issue.message}` };
}
