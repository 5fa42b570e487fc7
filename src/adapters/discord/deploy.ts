import { REST, Routes } from "discord.js";
import type { RESTPutAPIApplicationCommandsJSONBody } from "discord-api-types/v10";
import { SNOWFLAKE } from "../../config.js";
import type { SourceInfo } from "../../core/engine.js";
import { commandsBody } from "./commands.js";

export interface DeployIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  sources: () => readonly SourceInfo[];
  out: (line: string) => void;
  err: (line: string) => void;
  /** Builds the REST client; tests capture requests with `makeRequest`. */
  rest?: (token: string) => REST;
}

/**
 * `npm run discord:deploy [-- --dry-run]`: PUTs the whole command set (replacing what was registered)
 * to DISCORD_GUILD_ID when set (instant), else globally. `--dry-run` prints the exact JSON body and
 * touches no network. Returns the exit code.
 */
export async function runDeploy(io: DeployIo): Promise<number> {
  // A mistyped flag (`--dryrun`) must not fall through to a real, global deploy.
  const unknown = io.argv.find((a) => a !== "--dry-run");
  if (unknown !== undefined) return fail(io, `unknown argument "${unknown}" (the only option is --dry-run)`);
  const dryRun = io.argv.includes("--dry-run");
  // The error messages name the variable and say what it should hold; the id checks accept
  // snowflakes only (17–20 digits).
  const token = io.env.DISCORD_TOKEN?.trim();
  const applicationId = io.env.DISCORD_APPLICATION_ID?.trim();
  const guildId = io.env.DISCORD_GUILD_ID?.trim() || undefined;
  if (!dryRun) {
    if (!token) return fail(io, "DISCORD_TOKEN is not set (the bot token from the Developer Portal)");
    if (!applicationId) return fail(io, "DISCORD_APPLICATION_ID is not set (the application's numeric id)");
    if (!SNOWFLAKE.test(applicationId))
      return fail(io, "DISCORD_APPLICATION_ID must be the application's id: 17 to 20 digits");
    if (guildId && !SNOWFLAKE.test(guildId))
      return fail(io, "DISCORD_GUILD_ID must be a server's id: 17 to 20 digits");
  }

  const body: RESTPutAPIApplicationCommandsJSONBody = commandsBody(io.sources());
  if (dryRun) {
    io.out(JSON.stringify(body, null, 2));
    return 0;
  }

  const rest = io.rest?.(token as string) ?? new REST({ version: "10" }).setToken(token as string);
  const id = applicationId as string;
  const route = guildId ? Routes.applicationGuildCommands(id, guildId) : Routes.applicationCommands(id);
  try {
    const registered = (await rest.put(route, { body })) as unknown[];
    io.out(
      `discord:deploy: registered ${registered.length} command(s) ${guildId ? `to guild ${guildId}` : "globally (may take up to an hour to appear)"}`,
    );
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

function fail(io: DeployIo, message: string): number {
  io.err(`discord:deploy: ${message}`);
  return 1;
}
