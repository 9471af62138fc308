/** The person at this browser: a display name asked once and a stable colour, kept in localStorage. */
import { cleanDisplayName, isUrlSafeId } from "@edgeroom/shared";
import { PALETTE, isPaletteColor, nearestPaletteColor } from "./palette.ts";

export interface Identity {
  name: string;
  color: string;
  /** Random and stable per browser, so a person's tabs show as one. */
  id: string;
  /**
   * The colour was given (an embed host's `set-user`): the room's
   * least-used colour does not replace it (see room-color.ts).
   */
  colorFixed?: true;
  /** The name is this browser's made-up guest name (friendly-name.ts): the room may swap it for one nobody here has. */
  nameGenerated?: true;
}

const STORAGE_KEY = "edgeroom:user";

export { PALETTE } from "./palette.ts";

export function loadIdentity(): Identity | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Identity>;
    const name = typeof parsed.name === "string" ? cleanDisplayName(parsed.name) : "";
    if (!name) return undefined;
    // A colour from an older palette becomes its nearest current one, so the saved name survives.
    const saved = typeof parsed.color === "string" ? parsed.color : "";
    const color = isPaletteColor(saved) ? saved : saved ? nearestPaletteColor(saved) : randomColor();
    const id = isUrlSafeId(parsed.id) ? parsed.id : newPersonId();
    if (id !== parsed.id || color !== parsed.color)
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ name, color, id }));
    return { name, color, id };
  } catch {
    return undefined;
  }
}

export function saveIdentity(name: string): Identity {
  const previous = loadIdentity();
  const identity = {
    name: cleanDisplayName(name),
    color: previous?.color ?? randomColor(),
    id: previous?.id ?? newPersonId(),
  };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(identity));
  return identity;
}

export function newPersonId(): string {
  return crypto.randomUUID();
}

export function randomColor(): string {
  const index = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  return PALETTE[index % PALETTE.length] ?? PALETTE[0];
}
