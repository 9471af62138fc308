import type { EmbedTheme } from "@edgeroom/shared";
import { useEffect } from "react";
import { applyTheme } from "../lib/theme.ts";
import { useMediaQuery } from "../lib/use-media-query.ts";

/** The embed follows its host's choice, not the visitor's saved Edgeroom theme; `auto` follows the system. */
export function useEmbedTheme(theme: EmbedTheme): void {
  const prefersDark = useMediaQuery("(prefers-color-scheme: dark)");
  useEffect(
    () => applyTheme(theme === "auto" ? (prefersDark ? "dark" : "light") : theme, false),
    [theme, prefersDark],
  );
}
