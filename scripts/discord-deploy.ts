/**
 * `npm run discord:deploy`: registers `/karpathy` (derived from commands/) globally, or to one server
 * (`-- --guild <id>`, or DISCORD_GUILD_ID), and warns when the other scope still holds a copy.
 * `-- --clear [--guild <id>]` removes the commands; `-- --dry-run` prints the JSON body and sends
 * nothing. The REST base is DISCORD_API_URL (default Discord's). Reads `.env` when present. See
 * docs/discord.md.
 */
import { runDeploy } from "../src/adapters/discord/deploy.js";
import { loadEngine } from "../src/core/build.js";

try {
  process.loadEnvFile();
} catch {
  // No .env: the environment alone configures the script.
}

try {
  process.exitCode = await runDeploy({
    argv: process.argv.slice(2),
    env: process.env,
    sources: () => loadEngine().sources(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  process.stderr.write(`discord:deploy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
