/**
 * Pusher's socket ids: `<digits>.<digits>`. The server SDKs refuse to sign
 * anything else, and a signature names the socket id, so ids must be
 * unguessable: both halves come from the platform's cryptographic random.
 */
export function newSocketId(): string {
  const [high = 0, low = 0] = crypto.getRandomValues(new Uint32Array(2));
  return `${high}.${low}`;
}
