import { useEffect, useState, useSyncExternalStore } from "react";
import { useStore } from "zustand";
import type { RoomConnection } from "../connection/room-connection.ts";
import { HistoryClient, type HistoryState } from "./history-client.ts";

export function useHistoryClient(connection: RoomConnection): HistoryClient | undefined {
  const [client, setClient] = useState<HistoryClient>();
  useEffect(() => {
    const created = new HistoryClient(connection);
    setClient(created);
    return () => {
      created.destroy();
      setClient(undefined);
    };
  }, [connection]);
  return client;
}

export function useHistoryState<T>(client: HistoryClient, select: (state: HistoryState) => T): T {
  return useStore(client.store, select);
}

/** The shared document's text, re-read whenever anyone changes it. */
export function useDocumentText(connection: RoomConnection): string {
  return useSyncExternalStore(
    (onChange) => {
      connection.text.observe(onChange);
      return () => connection.text.unobserve(onChange);
    },
    () => connection.text.toString(),
  );
}
