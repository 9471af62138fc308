import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freshStateDir, startServer } from "./server.ts";
import { SHARED_PORT } from "./shared-server.ts";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startServer({ port: SHARED_PORT, persistDir: freshStateDir("shared") });
  return async () => {
    await server.stop();
    writeFileSync(join(server.persistDir, "wrangler.log"), server.output());
  };
}
