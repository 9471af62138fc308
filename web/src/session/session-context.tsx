/** The page's room session, handed down to every component that needs the room (read it with `useSession`). */
import { createContext, type ReactNode } from "react";
import type { RoomSession } from "./room-session.ts";

export const SessionContext = createContext<RoomSession | undefined>(undefined);

/** `undefined` until the session exists; only components rendered once it does read it. */
export function SessionProvider({
  session,
  children,
}: {
  session: RoomSession | undefined;
  children: ReactNode;
}) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
