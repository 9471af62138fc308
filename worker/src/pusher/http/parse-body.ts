/**
 * A request body read as JSON in UTF-8 and checked by its shared schema
 * (shared/src/pusher/http-api.ts); anything else is a 400 that names the
 * field and what is wrong with it.
 */
import type { ApiSchema, SchemaOutput } from "../../api/validate.ts";
import { badRequest } from "./refusal.ts";

const MAX_MESSAGE = 300;

export function parseJsonBody<S extends ApiSchema>(body: Uint8Array, schema: S): SchemaOutput<S> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body));
  } catch {
    throw badRequest("Invalid body: send JSON in UTF-8.");
  }
  const result = schema["~standard"].validate(json);
  if (result instanceof Promise) throw new Error("Pusher API schemas must be synchronous");
  if ("issues" in result && result.issues) {
    const issue = result.issues[0];
    const keys = (issue?.path ?? []).map((item) => String(typeof item === "object" ? item.key : item));
    const message = `Invalid body: ${keys.length > 0 ? `${keys.join(".")}: ` : ""}${issue?.message ?? "invalid"}`;
    throw badRequest(message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message);
  }
  return (result as { value: SchemaOutput<S> }).value;
}
