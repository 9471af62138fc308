/**
 * The test kit's headless client, set up for load against all three
 * servers: it completes the sync handshake in the server's framing and
 * hands every received update, awareness update and text frame to the
 * workload, which decides how much of it to decode. It keeps no document in
 * step and records nothing, so the load generator stays cheap.
 */
import type { User } from "@edgeroom/shared";
import { OPEN, type ClientHandlers, type HeadlessClient } from "@edgeroom/testkit";
import { openClient } from "@edgeroom/testkit/node";
import type * as Y from "yjs";
import { framingFor, isEdgeroom, roomUrl, type Target } from "./wire.ts";

export interface BenchClientOptions {
  doc?: Y.Doc;
  handlers?: ClientHandlers;
  /** Open Edgeroom's app lane (other servers have none), as `user` when given. */
  hello?: boolean;
  user?: User;
  /**
   * An idle client with nothing to offer does not answer sync requests: through
   * the relay every newcomer's request reaches every idle socket, and all their
   * answers reach everyone, which would measure our clients rather than the server.
   */
  passive?: boolean;
}

/** Resolves once the socket is open and the first sync request is sent. */
export function openBenchClient(
  target: Target,
  room: string,
  options: BenchClientOptions = {},
): Promise<HeadlessClient> {
  return openClient(roomUrl(target, room), {
    ...options,
    hello: isEdgeroom(target.kind) && (options.hello ?? false),
    framing: framingFor(target, room),
    mirror: false,
    record: false,
  });
}

export const isOpen = (client: HeadlessClient): boolean => client.socket.readyState === OPEN;

/** Opens clients a few at a time, so a thousand connections do not arrive in one burst. */
export async function openMany(
  count: number,
  open: (index: number) => Promise<HeadlessClient>,
  concurrency = 25,
): Promise<HeadlessClient[]> {
  const clients: HeadlessClient[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => open(start + i));
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

/**
 * Waits until every client holds the room's document, so a workload's first
 * edit is not sent while a peer is still joining (it would arrive inside that
 * peer's sync answer, not as an update). The relay has no document to wait for.
 */
export async function allSynced(
  target: Target,
  clients: HeadlessClient[],
  timeoutMs = 10_000,
): Promise<void> {
  if (target.kind === "relay") return;
  const all = Promise.all(clients.map((c) => c.synced)).then(() => true);
  if (!(await Promise.race([all, sleep(timeoutMs).then(() => false)])))
    throw new Error(`${target.kind}: not every client synced within ${timeoutMs} ms`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
