/** The e2e tests' `wrangler dev` servers: the test kit's launcher, with the embed tests' host page allowed. */
import { startServer as startTestServer, type RunningServer } from "@edgeroom/testkit/node";
import { EMBED_HOST_ORIGIN } from "./shared-server.ts";

export { freshStateDir, ROOT, type RunningServer } from "@edgeroom/testkit/node";

export function startServer(
  options: Omit<Parameters<typeof startTestServer>[0], "embedAllowedOrigins">,
): Promise<RunningServer> {
  return startTestServer({ ...options, embedAllowedOrigins: EMBED_HOST_ORIGIN });
}
