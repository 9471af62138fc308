import { useConnectionState } from "../session/hooks.ts";
import { roomLabel } from "./room-label.ts";

/** The room's label as text, for compact places (the embed's bar, the share preview); its id until the room has said. */
export function RoomLabelText({ roomId }: { roomId: string }) {
  const name = useConnectionState((s) => s.roomName);
  return <>{name === undefined ? roomId : roomLabel(name)}</>;
}
