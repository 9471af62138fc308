/**
 * The Pusher HTTP API's answers: JSON bodies, and refusals as plain text
 * with a reason, as Pusher's own API gives them (its SDKs show the text in
 * the error they throw, so the reason reaches the developer).
 */
const COMMON_HEADERS = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

export function pusherJson(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    headers: { ...COMMON_HEADERS, "Content-Type": "application/json" },
  });
}

/** A refusal thrown from inside a request and answered by the router. */
export class PusherRefusal extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  toResponse(): Response {
    return new Response(`${this.message}\n`, {
      status: this.status,
      headers: { ...COMMON_HEADERS, ...this.headers, "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

export const badRequest = (message: string) => new PusherRefusal(400, message);
export const notFound = (message: string) => new PusherRefusal(404, message);
