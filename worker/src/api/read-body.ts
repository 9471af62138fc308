/**
 * Request bodies, read with a bound: a declared `Content-Length` over the
 * limit is refused before a byte is read, and the stream itself is cut off
 * once it passes the limit (a chunked body declares no length), so the
 * Worker never holds more than `LIMITS.maxApiBodyBytes` of anyone's body.
 */
import { ApiErrorCode, LIMITS } from "@edgeroom/shared";
import { ApiRefusal } from "./api-response.ts";
import { validate, type ApiSchema, type SchemaOutput } from "./validate.ts";

/** The media type alone, lower-cased, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(request: Request): string {
  return (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function tooLarge(): ApiRefusal {
  return new ApiRefusal(
    ApiErrorCode.payloadTooLarge,
    `body: must be at most ${LIMITS.maxApiBodyBytes} bytes`,
  );
}

export async function readBoundedBody(request: Request, limit = LIMITS.maxApiBodyBytes): Promise<Uint8Array> {
  const declared = request.headers.get("Content-Length")?.trim();
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared))
      throw new ApiRefusal(ApiErrorCode.badRequest, "Content-Length: must be a whole number");
    if (Number(declared) > limit) throw tooLarge();
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A JSON body (`application/json`, UTF-8) parsed and then validated by `schema`. */
export async function readJsonBody<S extends ApiSchema>(
  request: Request,
  schema: S,
): Promise<SchemaOutput<S>> {
  const bytes = await readBoundedBody(request);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new ApiRefusal(ApiErrorCode.badRequest, "body: must be valid JSON in UTF-8");
  }
  return validate(schema, parsed, "body");
}
