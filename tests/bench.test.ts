import { describe, expect, it } from "vitest";
import { discordPath, slackPath } from "../src/bench/commands.js";
import { realEngine } from "./helpers.js";

// The bench times these paths: they must produce real answers, not errors answered fast.
describe("the bench's command paths", async () => {
  const engine = realEngine();

  it("Discord: a /karpathy quote body becomes an ephemeral preview with the quote", async () => {
    const out = JSON.parse(await discordPath(engine, "command")("decade of agents"));
    expect(out.type).toBe(4);
    expect(out.data.flags & 64).toBe(64);
    expect(JSON.stringify(out.data.embeds)).toMatch(/agents/iu);
  });

  it("Discord: an autocomplete body becomes choices", async () => {
    const out = JSON.parse(await discordPath(engine, "autocomplete")("reinforcement lea"));
    expect(out.type).toBe(8);
    expect(out.data.choices.length).toBeGreaterThan(1);
  });

  it("Slack: a slash-command body becomes the ack's ephemeral preview", async () => {
    const out = JSON.parse(await slackPath(engine)("decade of agents"));
    expect(out.response_type).toBe("ephemeral");
    expect(JSON.stringify(out.blocks)).toMatch(/agents/iu);
  });
});
