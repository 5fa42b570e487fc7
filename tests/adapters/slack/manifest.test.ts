import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BOT_EVENTS,
  BOT_SCOPES,
  MANIFEST_FILES,
  MANIFEST_MODES,
  manifestText,
  slackManifest,
  slashCommandManifest,
} from "../../../src/adapters/slack/manifest.js";

const committed = (file: string) => readFileSync(new URL(`../../../${file}`, import.meta.url), "utf8");

describe.each(MANIFEST_MODES)("slack/manifest.%s.json", (mode) => {
  const text = committed(MANIFEST_FILES[mode]);
  const manifest = JSON.parse(text);

  it("is exactly what the declarations generate (run npm run slack:manifest after changing them)", () => {
    expect(text).toBe(manifestText(mode));
  });

  it("declares /karpathy with the description and usage hint derived from the command declarations", () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ ...slashCommandManifest(), should_escape: false }),
    ]);
  });

  it("asks for the bot scopes and events the adapter uses, DMs (im:history, message.im) included", () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.oauth_config.scopes.bot).toContain("im:history");
    // The quote of the day joins a public channel it was not invited to.
    expect(manifest.oauth_config.scopes.bot).toContain("channels:join");
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["message.im", "app_home_opened"]),
    );
  });

  it("turns on the Home tab and the Messages tab, where users may write to the bot", () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it("turns on interactivity (the preview buttons)", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it("has a long description of the length Slack accepts (174 to 4000 characters)", () => {
    const { length } = manifest.display_information.long_description;
    expect(length).toBeGreaterThanOrEqual(174);
    expect(length).toBeLessThanOrEqual(4000);
  });
});

describe("the two connection modes", () => {
  it("Socket Mode: no URL anywhere, socket_mode_enabled", () => {
    const m = slackManifest("socket");
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(m)).not.toMatch(/https?:\/\//u);
  });

  it("HTTP mode: every Request URL is /slack/events and the OAuth redirect is /slack/oauth_redirect", () => {
    const m = slackManifest("http", "https://bot.example.org/");
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.features.slash_commands[0]).toMatchObject({ url: "https://bot.example.org/slack/events" });
    expect(m.settings.event_subscriptions).toMatchObject({
      request_url: "https://bot.example.org/slack/events",
    });
    expect(m.settings.interactivity).toMatchObject({ request_url: "https://bot.example.org/slack/events" });
    expect(m.oauth_config).toMatchObject({ redirect_urls: ["https://bot.example.org/slack/oauth_redirect"] });
  });

  it("differ only in those URLs and the Socket Mode switch", () => {
    const strip = (m: ReturnType<typeof slackManifest>) =>
      JSON.parse(JSON.stringify(m), (key, value) =>
        ["url", "request_url", "redirect_urls", "socket_mode_enabled"].includes(key) ? undefined : value,
      );
    expect(strip(slackManifest("http"))).toEqual(strip(slackManifest("socket")));
  });
});
