import type { ServerKind } from "../load/wire.ts";

export const SERVERS: readonly ServerKind[] = ["edgeroom", "edgeroom-direct", "hocuspocus", "relay"];
export const SERVER_NAMES: Record<ServerKind, string> = {
  edgeroom: "Edgeroom (wrangler dev)",
  "edgeroom-direct": "Edgeroom (workerd, no dev proxy)",
  hocuspocus: "Hocuspocus",
  relay: "ws relay",
};

/** Edgeroom's figure over a peer's, as `0.84×`; blank when either is missing. */
export function ratio(edgeroom: number | undefined, peer: number | undefined): string {
  if (
    edgeroom === undefined ||
    peer === undefined ||
    !Number.isFinite(edgeroom) ||
    !Number.isFinite(peer) ||
    peer === 0
  )
    return "–";
  return `${(edgeroom / peer).toFixed(2)}×`;
}

export function byServer<T extends { server: ServerKind }>(
  rows: readonly T[],
  server: ServerKind,
): T | undefined {
  return rows.find((row) => row.server === server);
}
