/**
 * `npm start`: starts Discord and/or Slack when their variables are set, or the local console when no
 * chat credentials are configured. Config is validated once here; a bad variable is named in one line.
 */
import { runConsole } from "./console/repl.js";
import { QuoteEngine } from "./core/engine.js";
import { QuoteError } from "./core/errors.js";

async function main(): Promise<number> {
  let engine: QuoteEngine;
  try {
    engine = QuoteEngine.load();
  } catch (error) {
    if (error instanceof QuoteError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  await runConsole(engine);
  return 0;
}

process.on("SIGINT", () => process.exit(0));
process.exitCode = await main();
