/**
 * Every answer of the HTTP API: JSON bodies and JSON errors
 * `{ "error": { "code", "message" } }` (shared/src/api.ts), never cached,
 * never sniffed as anything but what they say they are.
 */
import { ApiErrorCode, type ApiError } from "@edgeroom/shared";

/** The status each error code answers with. */
export const ERROR_STATUS: Record<ApiErrorCode, number> = {
  [ApiErrorCode.badRequest]: 400,
  [ApiErrorCode.apiDisabled]: 401,
  [ApiErrorCode.unauthorized]: 401,
  [ApiErrorCode.notFound]: 404,
  [ApiErrorCode.methodNotAllowed]: 405,
  [ApiErrorCode.payloadTooLarge]: 413,
  [ApiErrorCode.unsupportedMediaType]: 415,
  [ApiErrorCode.documentTooLarge]: 422,
  [ApiErrorCode.tooCostly]: 422,
  [ApiErrorCode.internal]: 500,
};

const COMMON_HEADERS = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...COMMON_HEADERS, "Content-Type": "application/json; charset=utf-8" },
  });
}

export function bodyResponse(body: string | Uint8Array, contentType: string): Response {
  return new Response(body, { headers: { ...COMMON_HEADERS, "Content-Type": contentType } });
}

export function apiError(code: ApiErrorCode, message: string, headers?: Record<string, string>): Response {
  const body: ApiError = { error: { code, message } };
  const response = jsonResponse(body, ERROR_STATUS[code]);
  for (const [name, value] of Object.entries(headers ?? {})) response.headers.set(name, value);
  return response;
}

/**
 * A refusal thrown from deep inside a request (a body or query that fails
 * its schema) and turned into its error response by the router.
 */
export class ApiRefusal extends Error {
  readonly code: ApiErrorCode;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ApiErrorCode, message: string, headers?: Record<string, string>) {
    super(message);
    this.code = code;
    this.headers = headers;
  }

  toResponse(): Response {
    return apiError(this.code, this.message, this.headers);
  }
}

/** A room's answer to a write: its value, or its refusal with the status its code carries. */
export function outcomeResponse<T>(
  outcome: { ok: true; value: T } | { ok: false; code: ApiErrorCode; message: string },
): Response {
  return outcome.ok ? jsonResponse(outcome.value) : apiError(outcome.code, outcome.message);
}
