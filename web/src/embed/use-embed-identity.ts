import type { VerifiedIdentity } from "@edgeroom/shared";
import { useMemo, useState, useSyncExternalStore } from "react";
import type { RoomConnection } from "../connection/room-connection.ts";
import { loadIdentity, newPersonId, randomColor, type Identity } from "../lib/identity.ts";

/**
 * Who the visitor is in an embed, without asking (a prompt does not fit a
 * small frame): the token's identity when the room verified one; otherwise
 * the host's `set-user`, then the `name=` option, then a name saved on an
 * earlier visit, then "Guest". Nothing is saved: the host owns the name.
 */
export function useEmbedIdentity(
  connection: RoomConnection | undefined,
  host: { name: string | undefined; color: string | undefined },
  defaultName: string | undefined,
): Identity {
  const [saved] = useState(() => {
    const stored = loadIdentity();
    return {
      name: stored?.name ?? "Guest",
      color: stored?.color ?? randomColor(),
      id: stored?.id ?? newPersonId(),
    };
  });
  const verified = useVerified(connection);
  const name = verified?.name ?? host.name ?? defaultName ?? saved.name;
  const color = verified?.color ?? host.color ?? saved.color;
  const id = verified?.id ?? saved.id;
  return useMemo(() => ({ name, color, id }), [name, color, id]);
}

export function useVerified(connection: RoomConnection | undefined): VerifiedIdentity | undefined {
  return useSyncExternalStore(
    (onChange) => connection?.state.subscribe(onChange) ?? (() => undefined),
    () => connection?.state.getState().verified,
  );
}
