/** `scripts/dev-vars.mjs`, which `pnpm start` runs: fresh local secrets once, never overwritten; a Pusher app added where none is. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../../scripts/dev-vars.mjs", import.meta.url));

function run(file: string): string {
  return execFileSync(process.execPath, [SCRIPT, file], { encoding: "utf8", timeout: 10_000 });
}

function vars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

describe("dev-vars", () => {
  it("writes random API and webhook secrets and the local receiver's URL, and says where", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    const said = run(file);
    expect(said).toContain("EDGEROOM_API_SECRET");
    expect(said).toContain(file);
    const written = vars(readFileSync(file, "utf8"));
    expect(Object.keys(written).sort()).toEqual([
      "EDGEROOM_API_SECRET",
      "PUSHER_APP_ID",
      "PUSHER_APP_KEY",
      "PUSHER_APP_SECRET",
      "WEBHOOK_SECRET",
      "WEBHOOK_URL",
    ]);
    expect(written["EDGEROOM_API_SECRET"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(written["WEBHOOK_URL"]).toBe("http://127.0.0.1:8790/");
    const secret = written["WEBHOOK_SECRET"]!;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    // The receiver (`pnpm webhooks:tail`) verifies with the standardwebhooks library: the secret must work there.
    const hook = new Webhook(secret);
    const at = new Date();
    const signature = hook.sign("msg_1", at, '{"type":"x"}');
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    };
    expect(hook.verify('{"type":"x"}', headers)).toEqual({ type: "x" });

    const other = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    run(other);
    const second = vars(readFileSync(other, "utf8"));
    expect(second["EDGEROOM_API_SECRET"]).not.toBe(written["EDGEROOM_API_SECRET"]);
    // The Pusher app's id and key stay the same, so docs/pusher.md's snippets name them; its secret is new.
    expect(written["PUSHER_APP_ID"]).toBe("1000001");
    expect(written["PUSHER_APP_KEY"]).toBe("edgeroom-local-key");
    expect(second["PUSHER_APP_KEY"]).toBe(written["PUSHER_APP_KEY"]);
    expect(written["PUSHER_APP_SECRET"]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second["PUSHER_APP_SECRET"]).not.toBe(written["PUSHER_APP_SECRET"]);
  });

  it("keeps what an existing file holds, adds a Pusher app only where none is, and names what else it lacks", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    const mine = "ROOM_TOKEN_SECRET=mine-and-at-least-thirty-two-characters";
    writeFileSync(file, mine);
    const said = run(file);
    expect(said).toMatch(/no EDGEROOM_API_SECRET, WEBHOOK_URL, WEBHOOK_SECRET/);
    expect(said).toMatch(/added a local Pusher app/);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith(`${mine}\n`)).toBe(true);
    expect(Object.keys(vars(text)).sort()).toEqual([
      "PUSHER_APP_ID",
      "PUSHER_APP_KEY",
      "PUSHER_APP_SECRET",
      "ROOM_TOKEN_SECRET",
    ]);
    // Added once: the next run finds it.
    expect(run(file)).not.toMatch(/Pusher/);
    expect(readFileSync(file, "utf8")).toBe(text);

    // A Pusher app of one's own, even half set, is never touched.
    const half = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    writeFileSync(half, "PUSHER_APP_ID=42\n");
    expect(run(half)).toMatch(/no PUSHER_APP_KEY, PUSHER_APP_SECRET; the Pusher server stays off/);
    expect(readFileSync(half, "utf8")).toBe("PUSHER_APP_ID=42\n");

    const complete = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    run(complete);
    const before = readFileSync(complete, "utf8");
    expect(run(complete)).toMatch(/bearer secret is EDGEROOM_API_SECRET/);
    expect(readFileSync(complete, "utf8")).toBe(before);
  });
});
