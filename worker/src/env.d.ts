declare namespace Cloudflare {
  interface Env {
    Room: DurableObjectNamespace<import("./room/room-server.ts").Room>;
    ASSETS: Fetcher;
    SNAPSHOTS: R2Bucket;
  }
}
interface Env extends Cloudflare.Env {}
