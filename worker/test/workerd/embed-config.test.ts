/** What the page learns from `/embed-config.json`: allowed embedders and the room-token endpoint. */
import { parseEmbedConfig } from "@edgeroom/shared";
import { describe, expect, it } from "vitest";
import { embedConfigResponse } from "../../src/access/page-headers.ts";

async function configFor(vars: Partial<Env>): Promise<unknown> {
  return (await embedConfigResponse(vars as Env).json()) as unknown;
}

describe("embed config", () => {
  it("names the room-token endpoint when ROOM_TOKEN_ENDPOINT is set", async () => {
    const config = await configFor({ ROOM_TOKEN_ENDPOINT: " https://app.example.com/edgeroom-token " });
    expect(config).toEqual({
      allowedOrigins: [],
      roomTokenEndpoint: "https://app.example.com/edgeroom-token",
    });
    expect(parseEmbedConfig(config)?.roomTokenEndpoint).toBe("https://app.example.com/edgeroom-token");
  });

  it("leaves it out when unset or not an http(s) URL, and the page refuses such a value too", async () => {
    expect(await configFor({})).toEqual({ allowedOrigins: [] });
    expect(await configFor({ ROOM_TOKEN_ENDPOINT: "javascript:alert(1)" })).toEqual({ allowedOrigins: [] });
    expect(await configFor({ ROOM_TOKEN_ENDPOINT: "/relative" })).toEqual({ allowedOrigins: [] });
    expect(parseEmbedConfig({ allowedOrigins: [], roomTokenEndpoint: "data:text/plain,x" })).toBeUndefined();
  });
});
