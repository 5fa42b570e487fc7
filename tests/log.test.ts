import { Writable } from "node:stream";
import { DiscordAPIError } from "discord.js";
import { describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "../src/log.js";

/** A logger whose lines are kept in memory, as they would be written to stderr. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger("debug", stream), lines };
}

const TOKEN = `aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldC10b2tlbi0${"x".repeat(120)}`;
const WEBHOOK = `https://discord.com/api/v10/webhooks/222222222222222222/${TOKEN}?wait=true`;
const RESPONSE_URL = "https://hooks.slack.com/commands/T0TEAM/12345/abcdefSECRET";
const SECRETS = [TOKEN, "abcdefSECRET", "xoxb-1234-5678-SECRETSECRET", "0".repeat(64)];

describe("logs", () => {
  it("never carry a webhook token, response_url, bot token or signature, in any field or message", () => {
    const { log, lines } = capture();
    const apiError = new DiscordAPIError(
      { code: 10015, message: "Unknown Webhook" },
      10015,
      404,
      "POST",
      WEBHOOK,
      { body: { content: "hi" } },
    );
    log.error({ err: apiError, attempt: 0 }, "Discord: could not post the shared quote");
    log.warn({ err: new Error(`request to ${WEBHOOK} failed`) }, "Discord: could not send the failure note");
    log.error({ response_url: RESPONSE_URL, token: "xoxb-1234-5678-SECRETSECRET" }, "slack: failed");
    log.error({ err: new Error(`POST ${RESPONSE_URL}: 500`) }, `slack: ${RESPONSE_URL}`);
    log.info({ headers: { "x-slack-signature": `v0=${"0".repeat(64)}`, authorization: "Bot abc" } }, "req");
    expect(lines.length).toBe(5);
    for (const line of lines) for (const secret of SECRETS) expect(line).not.toContain(secret);
    // What failed stays readable.
    expect(lines[0]).toContain("Unknown Webhook");
    expect(lines[0]).toContain("/webhooks/222222222222222222/[redacted]");
    expect(lines[1]).toContain("stack");
  });

  it("scrubs credentials out of any text and leaves other text alone", () => {
    expect(scrubSecrets(`see ${WEBHOOK}`)).not.toContain(TOKEN);
    expect(scrubSecrets("Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GAbcde.abcdefghijklmnopqrstuvwxyz12345")).toBe(
      "Bot [redacted]",
    );
    expect(scrubSecrets("nothing secret here: /karpathy quote agents")).toBe(
      "nothing secret here: /karpathy quote agents",
    );
  });
});
