import { useMemo, useState } from "react";
import { loadIdentity, newPersonId, randomColor, type Identity } from "../lib/identity.ts";

/**
 * Who the visitor chose to be in an embed, without asking (a prompt does not
 * fit a small frame): the host's `set-user`, then the `name=` option, then a
 * name saved on an earlier visit, then "Guest". Nothing is saved: the host
 * owns the name. A token's verified identity wins over this (see RoomSession).
 */
export function useEmbedIdentity(
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
  const name = host.name ?? defaultName ?? saved.name;
  const color = host.color ?? saved.color;
  return useMemo(() => ({ name, color, id: saved.id }), [name, color, saved.id]);
}
