import { useMemo, useState } from "react";
import { browserGuestName } from "../lib/friendly-name.ts";
import { loadIdentity, newPersonId, randomColor, type Identity } from "../lib/identity.ts";
import { cryptoRandom } from "../lib/room-color.ts";

/**
 * Who the visitor chose to be in an embed, without asking (a prompt does not
 * fit a small frame): the host's `set-user`, then the `name=` option, then a
 * name saved on an earlier visit, then this browser's friendly guest name
 * ("Calm Otter"). The host's name is not saved: the host owns it. The colour
 * is the room's least-used one unless the host gave one; a token's verified
 * identity wins over all of this (see RoomSession).
 */
export function useEmbedIdentity(
  host: { name: string | undefined; color: string | undefined },
  defaultName: string | undefined,
): Identity {
  const [saved] = useState(() => {
    const stored = loadIdentity();
    return {
      name: stored?.name ?? browserGuestName(cryptoRandom),
      generated: stored === undefined,
      color: stored?.color ?? randomColor(),
      id: stored?.id ?? newPersonId(),
    };
  });
  const given = host.name ?? defaultName;
  const name = given ?? saved.name;
  const generated = given === undefined && saved.generated;
  const hostColor = host.color;
  return useMemo(() => {
    const identity: Identity = { name, color: hostColor ?? saved.color, id: saved.id };
    if (hostColor !== undefined) identity.colorFixed = true;
    if (generated) identity.nameGenerated = true;
    return identity;
  }, [name, generated, hostColor, saved.color, saved.id]);
}
