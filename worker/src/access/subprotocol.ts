import { APP_SUBPROTOCOL, readSubprotocols } from "@edgeroom/shared";

/**
 * A browser drops a socket whose server does not select one of the offered
 * subprotocols, so when a client offered ours (to carry its token), the
 * upgrade response names it.
 */
export function withSelectedSubprotocol(request: Request, response: Response): Response {
  if (response.status !== 101 || !response.webSocket) return response;
  if (!readSubprotocols(request.headers.get("Sec-WebSocket-Protocol")).offered) return response;
  const headers = new Headers(response.headers);
  headers.set("Sec-WebSocket-Protocol", APP_SUBPROTOCOL);
  return new Response(null, { status: 101, webSocket: response.webSocket, headers });
}
