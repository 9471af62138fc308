/** React binding for RoomAccess: one per room page and connection. */
import { useEffect } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import { RoomAccess } from "./room-access.ts";

export function useRoomAccess(roomId: string, connection: RoomConnection | undefined): void {
  useEffect(() => {
    if (!connection) return;
    const access = new RoomAccess(roomId, connection);
    void access.start();
    return () => access.destroy();
  }, [roomId, connection]);
}
