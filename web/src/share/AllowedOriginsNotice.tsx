import { useAllowedOrigins } from "./use-allowed-origins.ts";

/** Whether the embed code will work anywhere yet: only sites in the deploy's allowlist may frame the room. */
export function AllowedOriginsNotice() {
  const origins = useAllowedOrigins();
  if (origins === undefined) return null;
  if (origins.length > 0) {
    return (
      <p className="share-origins">
        Sites allowed to embed: {origins.join(", ")}. Others see a blocked frame.
      </p>
    );
  }
  return (
    <div className="share-origins share-origins-none" role="note" aria-labelledby="share-origins-title">
      <p id="share-origins-title">
        <strong>No other site may embed this room yet.</strong>
      </p>
      <p>
        Browsers show the embed only on sites this Edgeroom deploy allows. To allow one, whoever deploys
        Edgeroom sets <code>EMBED_ALLOWED_ORIGINS</code> (for example <code>"https://blog.example.com"</code>)
        in <code>wrangler.toml</code> under <code>[vars]</code>, or as a variable in the Cloudflare dashboard,
        and deploys again. Details: <code>docs/embedding.md</code>.
      </p>
    </div>
  );
}
