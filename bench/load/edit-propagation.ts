/** Workload 1: N clients in one room, each typing single characters at a steady rate. */
import { allSynced, openBenchClient, openMany, sleep } from "./bench-client.ts";
import { EditTracker } from "./edit-tracker.ts";
import { freshRoom } from "./rooms.ts";
import type { LatencySummary } from "./stats.ts";
import type { Target } from "./wire.ts";

export interface EditPropagationResult {
  clients: number;
  rateHz: number;
  sent: number;
  expectedDeliveries: number;
  delivered: number;
  latency: LatencySummary;
}

export async function runEditPropagation(
  target: Target,
  options: { clients: number; seconds: number; rateHz: number },
): Promise<EditPropagationResult> {
  const { clients, seconds, rateHz } = options;
  const room = freshRoom("edits");
  const tracker = new EditTracker();
  const sockets = await openMany(clients, (i) =>
    openBenchClient(target, room, {
      handlers: { onUpdate: (update, kind) => kind === "sync-update" && tracker.received(i, update) },
    }),
  );
  await allSynced(target, sockets);
  const first = sockets[0];
  if (first) await tracker.warmUp(clients - 1, first.doc, (u) => first.sendUpdate(u));
  // One timer, round-robin over the clients: each still edits at `rateHz`, evenly spread.
  const total = Math.round(clients * rateHz * seconds);
  await new Promise<void>((resolve) => {
    let next = 0;
    const timer = setInterval(
      () => {
        const index = next % clients;
        const client = sockets[index];
        if (client) tracker.edit(index, client.doc, (u) => client.sendUpdate(u));
        next += 1;
        if (next >= total) {
          clearInterval(timer);
          resolve();
        }
      },
      1000 / (clients * rateHz),
    );
  });
  const expectedDeliveries = tracker.sent * (clients - 1);
  const deadline = Date.now() + 5_000;
  while (tracker.delivered < expectedDeliveries && Date.now() < deadline) await sleep(50);
  await Promise.all(sockets.map((s) => s.close()));
  return {
    clients,
    rateHz,
    sent: tracker.sent,
    expectedDeliveries,
    delivered: tracker.delivered,
    latency: tracker.summary(),
  };
}
