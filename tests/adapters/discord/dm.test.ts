/**
 * A user-installed /karpathy in a DM (context 1) or group DM (context 2): the payload has `user`
 * instead of `member`, no guild, and the bot is in no channel. Previews, Next, Context and Send must
 * all be answered through the interaction (its response, then its webhook), never a channel REST call.
 * Through the real HTTP endpoint on 127.0.0.1, and through the gateway path with real discord.js
 * objects (a Client fed the raw payload by its own INTERACTION_CREATE action); either way its REST calls
 * go to a loopback stand-in of Discord's REST API that records every route. The payloads are typed by
 * discord-api-types.
 */
import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionResponseCallbackData,
  type APIMessageComponentButtonInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageFlags,
} from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createGatewayClient } from "../../../src/adapters/discord/gateway.js";
import { NOTES } from "../../../src/adapters/discord/render.js";
import { type Captured, type Loopback, loopback } from "../slack/harness.js";
import {
  APP_ID,
  alice,
  botMessage,
  customIdOf,
  engine,
  type FollowUp,
  keyPair,
  signed,
  silentLog,
  startTestEndpoint,
  type TestEndpoint,
} from "./fixtures.js";

const keys = keyPair();
let test: TestEndpoint;
let followUps: FollowUp[];
let nextId = 900_000_000_000_000_000n;
const id = () => String(nextId++);

beforeAll(async () => {
  test = await startTestEndpoint(engine, keys, silentLog());
  ({ followUps } = test);
});
afterAll(async () => {
  await test.close();
});

const CONTEXTS = [
  ["a DM with the bot", InteractionContextType.BotDM, ChannelType.DM],
  ["a group DM", InteractionContextType.PrivateChannel, ChannelType.GroupDM],
] as const;

/** What a user install sends from a DM: `user`, no `member`, no `guild_id`, the user as the owner. */
function dmBase(context: InteractionContextType, channelType: ChannelType.DM | ChannelType.GroupDM) {
  const channelId = id();
  return {
    id: id(),
    application_id: APP_ID,
    token: `token-dm-${nextId}`,
    version: 1 as const,
    locale: Locale.EnglishUS,
    app_permissions: "0",
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.UserInstall]: alice.id },
    context,
    attachment_size_limit: 8_388_608,
    channel_id: channelId,
    channel: { id: channelId, type: channelType, recipients: [alice] } as never,
    user: alice,
  };
}

function dmCommand(context: InteractionContextType, channelType: ChannelType.DM | ChannelType.GroupDM) {
  return {
    ...dmBase(context, channelType),
    type: InteractionType.ApplicationCommand,
    data: {
      id: "999",
      name: "karpathy",
      type: ApplicationCommandType.ChatInput,
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "quote",
          options: [{ type: ApplicationCommandOptionType.String, name: "query", value: "agents" }],
        },
      ],
    },
  } satisfies APIChatInputApplicationCommandInteraction;
}

function dmButton(
  customId: string,
  context: InteractionContextType,
  channelType: ChannelType.DM | ChannelType.GroupDM,
) {
  return {
    ...dmBase(context, channelType),
    type: InteractionType.MessageComponent,
    data: { custom_id: customId, component_type: ComponentType.Button },
    message: {
      ...botMessage(id()),
      author: { ...botMessage("1").author, global_name: null },
      type: 20,
      flags: MessageFlags.Ephemeral,
      interaction_metadata: {
        id: "1",
        type: InteractionType.ApplicationCommand,
        user: alice,
        authorizing_integration_owners: { [ApplicationIntegrationType.UserInstall]: alice.id },
      },
    },
  } satisfies APIMessageComponentButtonInteraction;
}

async function post(payload: unknown): Promise<{ type: number; data?: APIInteractionResponseCallbackData }> {
  const text = JSON.stringify(payload);
  const res = await fetch(test.endpoint.url, {
    method: "POST",
    body: text,
    headers: signed(keys.privateKey, text),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { type: number; data?: APIInteractionResponseCallbackData };
}

describe.each(CONTEXTS)("/karpathy quote in %s (user install, no member)", (_name, context, channel) => {
  it("previews, and Next, Context and Send answer through the interaction, never a channel route", async () => {
    const before = followUps.length;
    const preview = await post(dmCommand(context, channel));
    expect(preview.type).toBe(4);
    expect(preview.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(preview.data?.embeds?.[0]?.description).toBeTruthy();

    const next = await post(dmButton(customIdOf(preview.data, "next"), context, channel));
    expect(next.type).toBe(7);
    expect(next.data?.embeds?.[0]?.footer?.text).toMatch(/^2 of /u);

    const around = await post(dmButton(customIdOf(preview.data, "context"), context, channel));
    expect([4, 7]).toContain(around.type);
    expect(around.data?.embeds?.length ?? around.data?.content?.length).toBeTruthy();

    const press = dmButton(customIdOf(preview.data, "send"), context, channel);
    const sent = await post(press);
    expect(sent).toEqual({ type: 6 });
    await vi.waitFor(() => expect(followUps.length).toBe(before + 2), { timeout: 2000, interval: 5 });
    expect(followUps[before + 1]?.body).toMatchObject({ content: NOTES.sent });
    const shared = followUps[before];
    expect(shared?.url).toBe(`/api/v10/webhooks/${APP_ID}/${press.token}?wait=true`);
    expect(shared?.body.flags ?? 0).toBe(0);
    expect(shared?.body.embeds?.[0]?.footer?.text).toBe(`Shared by ${alice.global_name}`);
    // The only requests to Discord went through the webhook: no /channels/… call the bot could not make here.
    expect(followUps.slice(before).map((f) => f.url.split("/")[3])).toEqual(["webhooks", "webhooks"]);
  });
});

/**
 * The gateway path: a real discord.js Client (never logged in) whose REST `api` is a loopback stand-in
 * of Discord's REST API on 127.0.0.1. It holds a bot token, so a channel call would really be sent
 * (and recorded) rather than refused inside discord.js.
 */
async function gatewayWithStandIn() {
  const standIn: Loopback = await loopback((req: Captured) =>
    req.path.includes("/callback")
      ? { status: 204, body: "" }
      : { status: 200, body: botMessage("777777777777777777") },
  );
  const client = createGatewayClient(engine, silentLog(), {
    rest: { api: `${standIn.url}/api`, retries: 0 },
  });
  client.rest.setToken(`${"x".repeat(24)}.abcdef.${"y".repeat(27)}`);
  const actions = (client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } })
    .actions;
  /** Feeds a raw payload and waits for `expected` more requests to reach the stand-in. */
  const feed = async (payload: object, expected = 1): Promise<Captured[]> => {
    const before = standIn.requests.length;
    actions.InteractionCreate.handle(payload);
    await vi.waitFor(() => expect(standIn.requests.length).toBeGreaterThanOrEqual(before + expected), {
      timeout: 3000,
      interval: 5,
    });
    // Give a wrong extra request (a channel call) the chance to show up before the test looks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return standIn.requests.slice(before);
  };
  return {
    standIn,
    feed,
    close: async () => {
      await client.destroy();
      await standIn.close();
    },
  };
}

const bodyOf = (c: Captured | undefined) =>
  JSON.parse(c?.body || "{}") as {
    type?: number;
    data?: APIInteractionResponseCallbackData;
  } & APIInteractionResponseCallbackData;

describe.each(CONTEXTS)(
  "/karpathy quote in %s through the gateway (real discord.js objects)",
  (_name, context, channel) => {
    it("previews, and Send posts through the interaction's follow-up, never a channel route", async () => {
      const gateway = await gatewayWithStandIn();
      try {
        const command = dmCommand(context, channel);
        const [previewCall] = await gateway.feed(command);
        expect(previewCall?.path.split("?")[0]).toBe(
          `/api/v10/interactions/${command.id}/${command.token}/callback`,
        );
        const preview = bodyOf(previewCall);
        expect(preview.type).toBe(4);
        expect(preview.data?.flags).toBe(MessageFlags.Ephemeral);
        expect(preview.data?.embeds?.[0]?.description).toBeTruthy();

        const press = dmButton(customIdOf(preview.data, "send"), context, channel);
        // Acknowledged first (deferred), then posted, and only then the preview says "Sent".
        const [deferCall, shareCall, closeCall] = await gateway.feed(press, 3);
        expect(deferCall?.path.split("?")[0]).toBe(
          `/api/v10/interactions/${press.id}/${press.token}/callback`,
        );
        expect(bodyOf(deferCall)).toMatchObject({ type: 6 });
        expect(shareCall?.path).toMatch(
          new RegExp(`^/api/v10/webhooks/${APP_ID}/${press.token}(\\?|$)`, "u"),
        );
        const shared = bodyOf(shareCall);
        expect(shared.flags ?? 0).toBe(0);
        expect(shared.embeds?.[0]?.footer?.text).toBe(`Shared by ${alice.global_name}`);
        expect(decodeURIComponent(closeCall?.path.split("?")[0] ?? "")).toBe(
          `/api/v10/webhooks/${APP_ID}/${press.token}/messages/@original`,
        );
        expect(bodyOf(closeCall)).toMatchObject({ content: NOTES.sent });
        // Every route hit: the interaction's callbacks and its webhook, no /channels/… call.
        expect(gateway.standIn.requests.map((r) => r.path.split("/")[3])).toEqual([
          "interactions",
          "interactions",
          "webhooks",
          "webhooks",
        ]);
      } finally {
        await gateway.close();
      }
    });
  },
);
