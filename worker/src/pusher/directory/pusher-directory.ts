/** The directory of a Pusher app's occupied channels (channel-contract.ts). Being built for issue 19. */
import { DurableObject } from "cloudflare:workers";

export class PusherDirectory extends DurableObject<Env> {}
