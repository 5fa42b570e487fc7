import { REST, Routes } from "discord.js";
import type {
  RESTGetAPIApplicationCommandsResult,
  RESTGetAPICurrentUserGuildsResult,
  RESTPutAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import { ROOT_COMMAND } from "../../../commands/index.js";
import { ConfigError, discordApiUrl, SNOWFLAKE } from "../../config.js";
import type { SourceInfo } from "../../core/engine.js";
import { commandsBody } from "./commands.js";

export interface DeployIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  sources: () => readonly SourceInfo[];
  out: (line: string) => void;
  err: (line: string) => void;
  /** Builds the REST client (default: discord.js's REST on `DISCORD_API_URL`). */
  rest?: (token: string, api: string) => REST;
}

/** Servers a global deploy looks into for a leftover guild copy: one page of the bot's servers. */
export const GUILDS_CHECKED = 50;

const USAGE = "usage: npm run discord:deploy -- [--dry-run] [--clear] [--guild <id>]";

interface Args {
  dryRun: boolean;
  clear: boolean;
  guild?: string | undefined;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { dryRun: false, clear: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--dry-run") args.dryRun = true;
    else if (a === "--clear") args.clear = true;
    else if (a === "--guild" || a.startsWith("--guild=")) {
      const id = a === "--guild" ? argv[++i] : a.slice("--guild=".length);
      if (!id || id.startsWith("--")) return `--guild needs a server id (${USAGE})`;
      args.guild = id;
    } else return `unknown argument "${a}" (${USAGE})`;
  }
  return args;
}

/**
 * `npm run discord:deploy [-- --dry-run] [--clear] [--guild <id>]`: PUTs the whole command set
 * (replacing what was registered) to one server (`--guild`, else DISCORD_GUILD_ID: instant) or
 * globally. `--clear` PUTs an empty set instead, removing the commands from that scope. A deploy then
 * looks at the other scope and warns when it still holds a `/karpathy` (Discord would list it twice).
 * `--dry-run` prints the exact JSON body and touches no network. Returns the exit code.
 */
export async function runDeploy(io: DeployIo): Promise<number> {
  // A mistyped flag (`--dryrun`) must not fall through to a real, global deploy.
  const args = parseArgs(io.argv);
  if (typeof args === "string") return fail(io, args);
  // The error messages name the variable and say what it should hold; the id checks accept
  // snowflakes only (17–20 digits).
  const token = io.env.DISCORD_TOKEN?.trim();
  const applicationId = io.env.DISCORD_APPLICATION_ID?.trim();
  const guildId = args.guild ?? (io.env.DISCORD_GUILD_ID?.trim() || undefined);
  const body: RESTPutAPIApplicationCommandsJSONBody = args.clear ? [] : commandsBody(io.sources());
  if (args.dryRun) {
    io.out(JSON.stringify(body, null, 2));
    return 0;
  }
  if (!token) return fail(io, "DISCORD_TOKEN is not set (the bot token from the Developer Portal)");
  if (!applicationId) return fail(io, "DISCORD_APPLICATION_ID is not set (the application's numeric id)");
  if (!SNOWFLAKE.test(applicationId))
    return fail(io, "DISCORD_APPLICATION_ID must be the application's id: 17 to 20 digits");
  if (guildId && !SNOWFLAKE.test(guildId))
    return fail(io, `${args.guild ? "--guild" : "DISCORD_GUILD_ID"} must be a server's id: 17 to 20 digits`);
  let api: string;
  try {
    api = discordApiUrl(io.env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(io, error.message.replace(/^Config: /u, ""));
    throw error;
  }

  const rest = io.rest?.(token, api) ?? new REST({ version: "10", api }).setToken(token);
  const where = guildId ? `to guild ${guildId}` : "globally (may take up to an hour to appear)";
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  try {
    const registered = (await rest.put(route, { body })) as unknown[];
    if (args.clear)
      io.out(
        `discord:deploy: cleared the commands ${guildId ? `of guild ${guildId}` : "registered globally"}`,
      );
    else io.out(`discord:deploy: registered ${registered.length} command(s) ${where}`);
    if (!args.clear) for (const line of await otherScopeCopies(rest, applicationId, guildId)) io.err(line);
    return 0;
  } catch (error) {
    return fail(
      io,
      `Discord refused the commands: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

/**
 * Warnings for each `/karpathy` left in the scope not deployed to: after a guild deploy, the global
 * set; after a global one, the guild sets of the bot's first `GUILDS_CHECKED` servers. A server it
 * cannot read is skipped: the check only warns and never fails a deploy that succeeded.
 */
async function otherScopeCopies(
  rest: REST,
  applicationId: string,
  guildId: string | undefined,
): Promise<string[]> {
  const has = (commands: RESTGetAPIApplicationCommandsResult) =>
    commands.some((c) => c.name === ROOT_COMMAND);
  const warning = (where: string, fix: string) =>
    `discord:deploy: warning: /${ROOT_COMMAND} is also registered ${where}, so Discord lists it twice there; remove it with: ${fix}`;
  try {
    if (guildId) {
      const global = (await rest.get(
        Routes.applicationCommands(applicationId),
      )) as RESTGetAPIApplicationCommandsResult;
      return has(global)
        ? [warning("globally", "npm run discord:deploy -- --clear (without DISCORD_GUILD_ID)")]
        : [];
    }
    const guilds = (await rest.get(Routes.userGuilds(), {
      query: new URLSearchParams({ limit: String(GUILDS_CHECKED) }),
    })) as RESTGetAPICurrentUserGuildsResult;
    const lines: string[] = [];
    for (const guild of guilds.slice(0, GUILDS_CHECKED)) {
      const commands = (await rest
        .get(Routes.applicationGuildCommands(applicationId, guild.id))
        .catch(() => [])) as RESTGetAPIApplicationCommandsResult;
      if (has(commands))
        lines.push(warning(`in guild ${guild.id}`, `npm run discord:deploy -- --clear --guild ${guild.id}`));
    }
    return lines;
  } catch (error) {
    return [
      `discord:deploy: could not check the other scope for a leftover /${ROOT_COMMAND}: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}

function fail(io: DeployIo, message: string): number {
  io.err(`discord:deploy: ${message}`);
  return 1;
}
