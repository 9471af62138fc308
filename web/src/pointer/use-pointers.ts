import { useEffect, useState } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import { PointerClient } from "./pointer-client.ts";

export function usePointerClient(connection: RoomConnection | undefined): PointerClient | undefined {
  const [pointers, setPointers] = useState<PointerClient>();
  useEffect(() => {
    if (!connection) return;
    const created = new PointerClient(connection);
    setPointers(created);
    return () => {
      created.destroy();
      setPointers(undefined);
    };
  }, [connection]);
  return pointers;
}
