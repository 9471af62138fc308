/** The person at this browser: a display name asked once and a stable colour, kept in localStorage. */
import { cleanDisplayName, isUrlSafeId } from "@edgeroom/shared";

export interface Identity {
  name: string;
  color: string;
  /** Random and stable per browser, so a person's tabs show as one. */
  id: string;
}

const STORAGE_KEY = "edgeroom:user";

/** Colours that keep white name labels readable in both themes. */
export const PALETTE = [
  "#d9480f",
  "#c2255c",
  "#9c36b5",
  "#6741d9",
  "#3b5bdb",
  "#1971c2",
  "#0c8599",
  "#099268",
  "#2f9e44",
  "#e67700",
  "#a61e4d",
  "#5c7cfa",
] as const;

export function loadIdentity(): Identity | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Identity>;
    const name = typeof parsed.name === "string" ? cleanDisplayName(parsed.name) : "";
    const color = PALETTE.find((c) => c === parsed.color);
    if (!name || !color) return undefined;
    const id = isUrlSafeId(parsed.id) ? parsed.id : newPersonId();
    if (id !== parsed.id) localStorage.setItem(STORAGE_KEY, JSON.stringify({ name, color, id }));
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
