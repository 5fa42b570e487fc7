/**
 * The registration body (`npm run discord:deploy`): derived from commands/, typed by discord-api-types,
 * checked against Discord's documented limits, printed as is by --dry-run, PUT to the right route.
 */
import { REST } from "discord.js";
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { COMMANDS, optionsOn, ROOT_COMMAND } from "../../../commands/index.js";
import { commandsBody } from "../../../src/adapters/discord/commands.js";
import { type DeployIo, runDeploy } from "../../../src/adapters/discord/deploy.js";
import { type Captured, type Loopback, loopback } from "../slack/harness.js";
import { engine } from "./fixtures.js";

const body = commandsBody(engine.sources());

/** Discord's rule for command and option names (https://discord.com/developers/docs/interactions/application-commands). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function texts(option: APIApplicationCommandOption): string[] {
  const own = [option.name, option.description];
  if ("choices" in option && option.choices)
    own.push(...option.choices.flatMap((c) => [c.name, String(c.value)]));
  if ("options" in option && option.options) own.push(...option.options.flatMap(texts));
  return own;
}

describe("the Discord registration body", () => {
  it("is typed as the body of PUT /applications/{id}/commands", () => {
    expectTypeOf(body).toEqualTypeOf<RESTPutAPIApplicationCommandsJSONBody>();
  });

  it("is one /karpathy command with a subcommand for every declaration in commands/", () => {
    expect(body).toHaveLength(1);
    const [root] = body;
    expect(root?.name).toBe(ROOT_COMMAND);
    const subs = (root && "options" in root ? root.options : []) ?? [];
    // A group (`daily`) is one option holding its subcommands, where its first member stands.
    expect(subs.map((s) => s.name)).toEqual([...new Set(COMMANDS.map((c) => c.group?.name ?? c.name))]);
    for (const sub of subs)
      expect(sub.type).toBe(
        COMMANDS.some((c) => c.group?.name === sub.name)
          ? ApplicationCommandOptionType.SubcommandGroup
          : ApplicationCommandOptionType.Subcommand,
      );
    for (const c of COMMANDS) {
      const parent = c.group ? subs.find((s) => s.name === c.group?.name) : undefined;
      const siblings = (parent && "options" in parent ? parent.options : subs) ?? [];
      const sub = siblings.find((s) => s.name === c.name);
      const options = (sub && "options" in sub ? sub.options : []) as APIApplicationCommandBasicOption[];
      expect(options.map((o) => [o.name, o.required ?? false])).toEqual(
        optionsOn(c, "discord").map(([name, o]) => [name, o.required]),
      );
    }
  });

  it("installs to servers and to users, and works in servers, bot DMs and group DMs", () => {
    const [root] = body;
    expect(root?.integration_types).toEqual([
      ApplicationIntegrationType.GuildInstall, // 0
      ApplicationIntegrationType.UserInstall, // 1
    ]);
    expect(root?.contexts).toEqual([
      InteractionContextType.Guild, // 0
      InteractionContextType.BotDM, // 1
      InteractionContextType.PrivateChannel, // 2
    ]);
    expect([root?.integration_types, root?.contexts]).toEqual([
      [0, 1],
      [0, 1, 2],
    ]);
  });

  it("respects Discord's limits on names, descriptions, options, choices and total size", () => {
    const [root] = body;
    if (!root || !("options" in root)) throw new Error("no root command");
    expect(root.name).toMatch(NAME);
    expect(root.name).toBe(root.name.toLowerCase());
    expect(root.description.length).toBeGreaterThanOrEqual(1);
    expect(root.description.length).toBeLessThanOrEqual(100);
    const all = (root.options ?? []).flatMap(function walk(
      o: APIApplicationCommandOption,
    ): APIApplicationCommandOption[] {
      return [o, ...("options" in o && o.options ? o.options.flatMap(walk) : [])];
    });
    expect(root.options?.length ?? 0).toBeLessThanOrEqual(25);
    for (const o of all) {
      expect(o.name).toMatch(NAME);
      expect(o.name).toBe(o.name.toLowerCase());
      expect(o.description.length).toBeGreaterThanOrEqual(1);
      expect(o.description.length).toBeLessThanOrEqual(100);
      if ("options" in o) expect(o.options?.length ?? 0).toBeLessThanOrEqual(25);
      if ("choices" in o && o.choices) {
        expect(o.choices.length).toBeLessThanOrEqual(25);
        for (const c of o.choices) {
          expect(c.name.length).toBeGreaterThanOrEqual(1);
          expect(c.name.length).toBeLessThanOrEqual(100);
          expect(String(c.value).length).toBeLessThanOrEqual(100);
        }
      }
      if ("options" in o && o.options) {
        // Required options come before optional ones.
        const required = o.options.map((x) => ("required" in x && x.required) || false);
        expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      }
    }
    const size = [root.name, root.description, ...(root.options ?? []).flatMap(texts)].join("").length;
    expect(size).toBeLessThanOrEqual(4000);
  });

  it("autocompletes query and offers the corpus's sources as choices, never both on one option", () => {
    const [root] = body;
    const subs: readonly APIApplicationCommandOption[] =
      (root && "options" in root ? root.options : []) ?? [];
    const options = subs.flatMap((s): APIApplicationCommandOption[] =>
      "options" in s && s.options ? [...s.options] : [],
    ) as Array<APIApplicationCommandBasicOption & { autocomplete?: boolean; choices?: unknown[] }>;
    const queries = options.filter((o) => o.name === "query");
    const sources = options.filter((o) => o.name === "source");
    // quote has a query; quote and random have a source.
    expect([queries.length, sources.length]).toEqual([1, 2]);
    for (const o of options) expect(Boolean(o.autocomplete) && Boolean(o.choices?.length)).toBe(false);
    expect(queries.every((o) => o.autocomplete)).toBe(true);
    for (const source of sources)
      expect((source.choices as Array<{ value: string }>).map((c) => c.value)).toEqual(
        engine.sources().map((s) => s.id),
      );
  });
});

function io(overrides: Partial<DeployIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const requests: Array<{ url: string; method: string; auth: string; body: unknown }> = [];
  const rest = (token: string) =>
    new REST({
      version: "10",
      retries: 0,
      makeRequest: (async (
        url: string,
        init: { method?: string; headers?: Record<string, string>; body?: string },
      ) => {
        requests.push({
          url,
          method: init.method ?? "",
          auth: new Headers(init.headers).get("authorization") ?? "",
          body: JSON.parse(init.body ?? "null"),
        });
        return Response.json(JSON.parse(init.body ?? "[]"));
      }) as never,
    }).setToken(token);
  const value: DeployIo = {
    argv: [],
    env: {},
    sources: () => engine.sources(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    rest,
    ...overrides,
  };
  return { value, out, err, requests };
}

describe("npm run discord:deploy", () => {
  it("prints the exact JSON body with --dry-run and touches no network, even without credentials", async () => {
    const t = io({
      argv: ["--dry-run"],
      rest: () => {
        throw new Error("no network in a dry run");
      },
    });
    expect(await runDeploy(t.value)).toBe(0);
    expect(JSON.parse(t.out.join("\n"))).toEqual(body);
    expect(t.err).toEqual([]);
  });

  it.each([["--dryrun"], ["--dry-run", "--global"], ["now"]])(
    "refuses an unknown argument (%s) before touching the network, even with credentials",
    async (...argv) => {
      const t = io({
        argv,
        env: { DISCORD_TOKEN: "tok".repeat(20), DISCORD_APPLICATION_ID: "222222222222222222" },
      });
      expect(await runDeploy(t.value)).toBe(1);
      expect(t.err).toHaveLength(1);
      expect(t.err[0]).toMatch(/unknown argument/u);
      expect(t.requests).toEqual([]);
      expect(t.out).toEqual([]);
    },
  );

  it.each([
    ["DISCORD_TOKEN", { DISCORD_APPLICATION_ID: "222222222222222222" }],
    ["DISCORD_APPLICATION_ID", { DISCORD_TOKEN: "x".repeat(60) }],
  ])("fails fast in one line naming a missing %s", async (name, env) => {
    const t = io({ env });
    expect(await runDeploy(t.value)).toBe(1);
    expect(t.err).toHaveLength(1);
    expect(t.err[0]).toContain(name);
    expect(t.requests).toEqual([]);
  });

  it.each([
    [
      "to the guild when DISCORD_GUILD_ID is set",
      "333333333333333333",
      "/guilds/333333333333333333/commands",
    ],
    ["globally otherwise", undefined, "/applications/222222222222222222/commands"],
  ])("PUTs the body %s", async (_name, guild, path) => {
    const t = io({
      env: {
        DISCORD_TOKEN: "tok".repeat(20),
        DISCORD_APPLICATION_ID: "222222222222222222",
        DISCORD_GUILD_ID: guild,
      },
    });
    expect(await runDeploy(t.value)).toBe(0);
    // The PUT, then a GET of the other scope (the leftover-copy check).
    expect(t.requests.map((r) => r.method)).toEqual(["PUT", "GET"]);
    expect(t.requests[0]?.url.endsWith(path)).toBe(true);
    expect(t.requests[0]?.auth).toBe(`Bot ${"tok".repeat(20)}`);
    expect(t.requests[0]?.body).toEqual(body);
  });
});

const APP = "222222222222222222";
const GUILD = "333333333333333333";
const OTHER_GUILD = "444444444444444444";
const TOKEN = "tok".repeat(20);
const karpathy = { id: "555555555555555555", name: "karpathy", type: 1, application_id: APP };

/**
 * A loopback stand-in for Discord's REST API (real HTTP on 127.0.0.1): command sets per scope, kept
 * across requests; PUT replaces a set and answers it, GET answers it, `GET /users/@me/guilds` lists
 * the bot's servers. Every request is recorded.
 */
async function discordStandIn(sets: Record<string, unknown[]>, guilds: string[] = []) {
  const scope = (path: string) =>
    /\/applications\/\d+\/guilds\/(\d+)\/commands$/u.exec(path)?.[1] ??
    (/\/applications\/\d+\/commands$/u.test(path) ? "global" : undefined);
  const method = "";
  const server: Loopback = await loopback((req: Captured) => {
    const path = req.path.replace(/\?.*$/u, "");
    if (path === "/api/v10/users/@me/guilds")
      return { status: 200, body: guilds.map((id) => ({ id, name: id })) };
    const key = scope(path);
    if (!key) return { status: 404, body: { message: "Unknown route", code: 0 } };
    if (req.body) sets[key] = JSON.parse(req.body) as unknown[];
    return { status: 200, body: sets[key] ?? [] };
  });
  return { ...server, api: `${server.url}/api`, sets, method };
}

describe("npm run discord:deploy against a stand-in of Discord's REST API (DISCORD_API_URL)", () => {
  let standIn: Awaited<ReturnType<typeof discordStandIn>> | undefined;
  afterEach(async () => {
    await standIn?.close();
    standIn = undefined;
  });

  async function deploy(argv: string[], env: NodeJS.ProcessEnv = {}) {
    if (!standIn) throw new Error("no stand-in");
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDeploy({
      argv,
      env: { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: standIn.api, ...env },
      sources: () => engine.sources(),
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    const routes = standIn.requests.map((r) => r.path.replace(/\?.*$/u, ""));
    return { code, out, err, routes };
  }

  it("--clear --guild <id> PUTs [] to that server's commands and leaves the global set alone", async () => {
    standIn = await discordStandIn({ global: [karpathy], [GUILD]: [karpathy] });
    const run = await deploy(["--clear", "--guild", GUILD]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([`discord:deploy: cleared the commands of guild ${GUILD}`]);
    expect(standIn.requests.map((r) => [r.path, r.body])).toEqual([
      [`/api/v10/applications/${APP}/guilds/${GUILD}/commands`, "[]"],
    ]);
    expect(standIn.sets).toEqual({ global: [karpathy], [GUILD]: [] });
  });

  it("--clear alone clears the global commands, with the bot token", async () => {
    standIn = await discordStandIn({ global: [karpathy] });
    const run = await deploy(["--clear"]);
    expect(run.code).toBe(0);
    expect(run.routes).toEqual([`/api/v10/applications/${APP}/commands`]);
    expect(standIn.requests[0]?.headers.authorization).toBe(`Bot ${TOKEN}`);
    expect(standIn.sets.global).toEqual([]);
  });

  it("a guild deploy warns when the global set still holds /karpathy, and says how to clear it", async () => {
    standIn = await discordStandIn({ global: [karpathy] });
    const run = await deploy([], { DISCORD_GUILD_ID: GUILD });
    expect(run.code).toBe(0);
    expect(standIn.sets[GUILD]).toEqual(body);
    expect(run.routes).toEqual([
      `/api/v10/applications/${APP}/guilds/${GUILD}/commands`, // PUT
      `/api/v10/applications/${APP}/commands`, // GET the other scope
    ]);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/warning: \/karpathy is also registered globally.*--clear/u);
  });

  it("a global deploy warns about each of the bot's servers that still holds a guild copy", async () => {
    standIn = await discordStandIn({ [GUILD]: [karpathy], [OTHER_GUILD]: [] }, [GUILD, OTHER_GUILD]);
    const run = await deploy([]);
    expect(run.code).toBe(0);
    expect(standIn.sets.global).toEqual(body);
    expect(run.err).toEqual([expect.stringContaining(`in guild ${GUILD}`)]);
    expect(run.err[0]).toContain(`npm run discord:deploy -- --clear --guild ${GUILD}`);
  });

  it("says nothing more when the other scope holds no copy", async () => {
    standIn = await discordStandIn({ global: [] }, []);
    const run = await deploy(["--guild", GUILD]);
    expect([run.code, run.err]).toEqual([0, []]);
  });

  it.each([
    [["--guild"], /--guild needs a server id/u],
    [["--guild", "--clear"], /--guild needs a server id/u],
    [["--guild", "12"], /--guild must be a server's id/u],
  ])("refuses %j before touching the network", async (argv, message) => {
    standIn = await discordStandIn({});
    const run = await deploy(argv);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([expect.stringMatching(message)]);
    expect(standIn.requests).toEqual([]);
  });

  it("refuses a DISCORD_API_URL that is not an http(s) URL, naming it", async () => {
    standIn = await discordStandIn({});
    const run = await deploy(["--clear"], { DISCORD_API_URL: "discord.com/api" });
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/^discord:deploy: DISCORD_API_URL must be/u);
  });
});
