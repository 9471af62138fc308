/** `scripts/dev-vars.mjs`, which `pnpm start` runs: fresh local secrets once, never overwritten. */
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
    expect(Object.keys(written).sort()).toEqual(["EDGEROOM_API_SECRET", "WEBHOOK_SECRET", "WEBHOOK_URL"]);
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
    expect(vars(readFileSync(other, "utf8"))["EDGEROOM_API_SECRET"]).not.toBe(written["EDGEROOM_API_SECRET"]);
  });

  it("never changes an existing file, and names what it lacks", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    writeFileSync(file, "ROOM_TOKEN_SECRET=mine-and-at-least-thirty-two-characters\n");
    const said = run(file);
    expect(said).toMatch(/no EDGEROOM_API_SECRET, WEBHOOK_URL, WEBHOOK_SECRET/);
    expect(readFileSync(file, "utf8")).toBe("ROOM_TOKEN_SECRET=mine-and-at-least-thirty-two-characters\n");

    const complete = join(mkdtempSync(join(tmpdir(), "dev-vars-")), ".dev.vars");
    run(complete);
    const before = readFileSync(complete, "utf8");
    expect(run(complete)).toMatch(/bearer secret is EDGEROOM_API_SECRET/);
    expect(readFileSync(complete, "utf8")).toBe(before);
  });
});
