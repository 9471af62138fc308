/**
 * A host's backend, as the e2e tests play it: plain `fetch` against the HTTP
 * API (`/api/v1`) with the bearer secret every test server runs with.
 */
import { TEST_API_SECRET } from "@edgeroom/testkit";
import { expect } from "@playwright/test";

export interface ApiAnswer {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  text: string;
}

export async function api(
  base: string,
  path: string,
  init: { method?: string; json?: unknown; bytes?: Uint8Array; secret?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${init.secret ?? TEST_API_SECRET}` };
  let body: BodyInit | null = null;
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.json);
  } else if (init.bytes !== undefined) {
    headers["Content-Type"] = "application/octet-stream";
    body = init.bytes as Uint8Array<ArrayBuffer>;
  }
  const response = await fetch(`${base}/api/v1${path}`, {
    method: init.method ?? (body === null ? "GET" : "POST"),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // text/plain answers (the document as text) stay text.
  }
  return { status: response.status, body: parsed, text };
}

/** Like `api`, but the answer must be a 2xx. */
export async function apiOk(
  base: string,
  path: string,
  init: Parameters<typeof api>[2] = {},
): Promise<ApiAnswer> {
  const answer = await api(base, path, init);
  expect(answer.status, `${init.method ?? "request"} ${path}: ${answer.text}`).toBeLessThan(300);
  return answer;
}

export function roomPath(room: string, rest = ""): string {
  return `/rooms/${encodeURIComponent(room)}${rest}`;
}

/** The document as the API reads it (`format=text`). */
export async function apiDocumentText(base: string, room: string): Promise<string> {
  return (await apiOk(base, roomPath(room, "/document?format=text"))).text;
}
