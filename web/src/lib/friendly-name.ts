/**
 * A friendly name for an anonymous embed visitor ("Calm Otter"), made once
 * per browser and kept, so visitors who never typed a name still tell each
 * other apart instead of all being "Guest".
 */
const ADJECTIVES = [
  "Amber",
  "Brave",
  "Bright",
  "Calm",
  "Clever",
  "Cosy",
  "Curious",
  "Eager",
  "Gentle",
  "Happy",
  "Jolly",
  "Keen",
  "Kind",
  "Lively",
  "Lucky",
  "Merry",
  "Mellow",
  "Nimble",
  "Plucky",
  "Quiet",
  "Sunny",
  "Swift",
  "Witty",
  "Zesty",
] as const;

const ANIMALS = [
  "Badger",
  "Beaver",
  "Crane",
  "Dolphin",
  "Falcon",
  "Ferret",
  "Finch",
  "Fox",
  "Gecko",
  "Heron",
  "Koala",
  "Lemur",
  "Lynx",
  "Marten",
  "Otter",
  "Owl",
  "Panda",
  "Puffin",
  "Quokka",
  "Robin",
  "Seal",
  "Stoat",
  "Tapir",
  "Wombat",
] as const;

const STORAGE_KEY = "edgeroom:guest-name";

/** Every name the generator can make: 576, so two visitors rarely meet under one. */
export const FRIENDLY_NAME_COUNT = ADJECTIVES.length * ANIMALS.length;

/**
 * A random "Adjective Animal" not in `taken` (compared without case), when
 * one is left; `random` returns 0 ≤ n < 1.
 */
export function friendlyName(random: () => number, taken: Iterable<string> = []): string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  const start = Math.floor(random() * FRIENDLY_NAME_COUNT) % FRIENDLY_NAME_COUNT;
  // Walk from a random start with a step coprime to the count, so every name is tried once.
  for (let tried = 0; tried < FRIENDLY_NAME_COUNT; tried++) {
    const name = nameAt((start + tried * 7) % FRIENDLY_NAME_COUNT);
    if (!used.has(name.toLowerCase())) return name;
  }
  return nameAt(start);
}

function nameAt(index: number): string {
  const adjective = ADJECTIVES[index % ADJECTIVES.length] ?? ADJECTIVES[0];
  const animal = ANIMALS[Math.floor(index / ADJECTIVES.length) % ANIMALS.length] ?? ANIMALS[0];
  return `${adjective} ${animal}`;
}

/** This browser's guest name: made on the first anonymous visit, the same ever after. */
export function browserGuestName(random: () => number): string {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved !== null && isFriendlyName(saved)) return saved;
    const name = friendlyName(random);
    localStorage.setItem(STORAGE_KEY, name);
    return name;
  } catch {
    return friendlyName(random);
  }
}

/** Keeps a guest name picked to differ from everyone present, for the next visits. */
export function saveGuestName(name: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, name);
  } catch {
    // The name still holds for this visit.
  }
}

export function isFriendlyName(name: string): boolean {
  const [adjective, animal, ...rest] = name.split(" ");
  return (
    rest.length === 0 &&
    (ADJECTIVES as readonly string[]).includes(adjective ?? "") &&
    (ANIMALS as readonly string[]).includes(animal ?? "")
  );
}
