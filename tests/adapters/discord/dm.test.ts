/**
 * A user-installed /karpathy in a DM (context 1) or group DM (context 2): the payload has `user`
 * instead of `member`, no guild, and the bot is in no channel. Previews, Next, Context and Send must
 * all be answered through the interaction (its response, then its webhook), never a channel REST call.
 * Through the real HTTP endpoint on 127.0.0.1, its REST calls going to a loopback stand-in that records
 * every request. The payloads are typed by discord-api-types.
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
import { NOTES } from "../../../src/adapters/discord/render.js";
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
