/**
 * The part of a WebSocket the headless client uses: workerd's (from an
 * upgrade response), Node's `ws` and the in-memory network's all fit it.
 */
export interface SocketLike {
  binaryType?: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed (the WebSocket standard's numbers). */
  readonly readyState?: number;
  send(data: string | Uint8Array | ArrayBuffer): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the connection without a closing handshake. */
  terminate?(): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "open", listener: () => void): void;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;

/** The bytes of a binary frame, whichever form the socket hands it in. */
export function frameBytes(data: unknown): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // `instanceof ArrayBuffer` fails for buffers made in another realm (workerd's test runner).
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]")
    return new Uint8Array(data as ArrayBuffer);
  throw new Error(`unexpected frame type ${Object.prototype.toString.call(data)}`);
}
