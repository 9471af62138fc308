/**
 * The app lane: our own messages, sent as JSON text frames. Yjs traffic stays
 * on binary frames in standard y-protocols framing, so a stock Yjs provider
 * never sees a frame from this lane (the server sends these only to sockets
 * that opened the lane with `hello`).
 */
import * as v from "valibot";

/** Bump when a message changes shape; the server closes older clients with `versionMismatch`. */
export const PROTOCOL_VERSION = 1;

// ---- client → server -------------------------------------------------------

const HelloSchema = v.object({
  type: v.literal("hello"),
  v: v.pipe(v.number(), v.integer()),
});

export const ClientAppMessageSchema = v.variant("type", [HelloSchema]);
export type ClientAppMessage = v.InferOutput<typeof ClientAppMessageSchema>;

// ---- server → client -------------------------------------------------------

const WelcomeSchema = v.object({
  type: v.literal("welcome"),
  v: v.pipe(v.number(), v.integer()),
});

/** Sent after a Yjs update frame from this socket is stored (or was already known). */
const DocAckSchema = v.object({ type: v.literal("doc-ack") });

export const ErrorCode = {
  badFrame: "bad-frame",
  badMessage: "bad-message",
  documentTooLarge: "document-too-large",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Sent instead of `doc-ack` when a Yjs update frame from this socket was refused; nothing was stored. */
const DocRejectSchema = v.object({
  type: v.literal("doc-reject"),
  code: v.picklist(Object.values(ErrorCode)),
  message: v.string(),
});

const ErrorSchema = v.object({
  type: v.literal("error"),
  code: v.picklist(Object.values(ErrorCode)),
  message: v.string(),
});

export const ServerAppMessageSchema = v.variant("type", [
  WelcomeSchema,
  DocAckSchema,
  DocRejectSchema,
  ErrorSchema,
]);
export type ServerAppMessage = v.InferOutput<typeof ServerAppMessageSchema>;

// ---- parsing ---------------------------------------------------------------

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseJson<T>(schema: v.GenericSchema<unknown, T>, text: string, maxBytes: number): ParseResult<T> {
  if (text.length > maxBytes) return { ok: false, error: "message too large" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join(".") ?? "";
    return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
  }
  return { ok: true, value: result.output };
}

export function parseClientAppMessage(text: string, maxBytes: number): ParseResult<ClientAppMessage> {
  return parseJson(ClientAppMessageSchema, text, maxBytes);
}

export function parseServerAppMessage(text: string, maxBytes: number): ParseResult<ServerAppMessage> {
  return parseJson(ServerAppMessageSchema, text, maxBytes);
}
