/** One Pusher channel's Durable Object (channel-contract.ts). Being built for issue 19. */
import { DurableObject } from "cloudflare:workers";

export class PusherChannel extends DurableObject<Env> {}
