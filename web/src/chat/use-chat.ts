import { useEffect, useState } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import type { Identity } from "../lib/identity.ts";
import { ChatClient } from "./chat-client.ts";

export function useChatClient(
  connection: RoomConnection | undefined,
  roomId: string,
  identity: Identity | undefined,
): ChatClient | undefined {
  const [chat, setChat] = useState<ChatClient>();
  useEffect(() => {
    if (!connection || !identity) return;
    const created = new ChatClient(connection, roomId, identity);
    setChat(created);
    return () => {
      created.destroy();
      setChat(undefined);
    };
    // A new name is applied below without rebuilding the chat.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection, roomId]);
  useEffect(() => {
    if (chat && identity) chat.setAuthor(identity);
  }, [chat, identity]);
  return chat;
}
