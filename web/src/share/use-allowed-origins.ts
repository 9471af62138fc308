import { parseEmbedConfig } from "@edgeroom/shared";
import { useEffect, useState } from "react";

/** The deploy's `EMBED_ALLOWED_ORIGINS`, as `/embed-config.json` tells it; undefined until known (or if unreadable). */
export function useAllowedOrigins(): string[] | undefined {
  const [origins, setOrigins] = useState<string[]>();
  useEffect(() => {
    const abort = new AbortController();
    fetch("/embed-config.json", { cache: "no-store", signal: abort.signal })
      .then((response) => response.json())
      .then((data: unknown) => setOrigins(parseEmbedConfig(data)?.allowedOrigins))
      .catch(() => undefined);
    return () => abort.abort();
  }, []);
  return origins;
}
