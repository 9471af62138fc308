export type Theme = "light" | "dark";

const KEY = "edgeroom:theme";

export function initialTheme(): Theme {
  const saved = storage()?.getItem(KEY);
  if (saved === "light" || saved === "dark") return saved;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function applyTheme(theme: Theme, remember: boolean): void {
  document.documentElement.dataset["theme"] = theme;
  if (remember) storage()?.setItem(KEY, theme);
}

/** Reading `localStorage` throws in third-party frames whose browser blocks their storage (embeds). */
function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}
