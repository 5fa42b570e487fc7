import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOT_EVENTS, BOT_SCOPES, slashCommandManifest } from "../../../src/adapters/slack/manifest.js";

const manifest = parse(readFileSync(new URL("../../../slack/manifest.yml", import.meta.url), "utf8"));

describe("slack/manifest.yml", () => {
  it("declares /karpathy with the description and usage hint derived from the command declarations", () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ ...slashCommandManifest(), should_escape: false }),
    ]);
  });

  it("asks for exactly the bot scopes and events the adapter uses", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
  });

  it("turns on interactivity (the preview buttons) and Socket Mode (the default transport)", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("has a long description of the length Slack accepts (174 to 4000 characters)", () => {
    const { length } = manifest.display_information.long_description;
    expect(length).toBeGreaterThanOrEqual(174);
    expect(length).toBeLessThanOrEqual(4000);
  });
});
