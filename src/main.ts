/**
 * `npm start`: starts every chat adapter of src/adapters/list.ts whose variables are set, or the local
 * console when none is. Config is validated once here; a bad variable is named in one line.
 * Each chat library is imported only when its platform is configured, so the console starts fast.
 */
import { configuredAdapters } from "./adapters/list.js";
import type { RunningAdapter } from "./adapters/types.js";
import { ConfigError, loadConfig } from "./config.js";
import { runConsole } from "./console/repl.js";
import { QuoteEngine } from "./core/engine.js";
import { QuoteError } from "./core/errors.js";
import { DailyScheduler } from "./daily/scheduler.js";
import { dailyService } from "./daily/service.js";
import { createLogger } from "./log.js";
import { openStore, type Store } from "./store/index.js";

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5000;

/** `.env` in the working directory, when present (Node's own loader: no dependency). */
function loadDotEnv(): void {
  try {
    process.loadEnvFile();
  } catch {
    // No .env: the environment alone configures the app.
  }
}

async function main(): Promise<number> {
  loadDotEnv();
  let config: ReturnType<typeof loadConfig>;
  let engine: QuoteEngine;
  try {
    config = loadConfig();
    engine = await QuoteEngine.open();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof QuoteError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const adapters = configuredAdapters(config);
  if (!adapters.length) {
    process.on("SIGINT", () => process.exit(0));
    await runConsole(engine);
    return 0;
  }

  const log = createLogger(config.logLevel, undefined, config.logFormat);
  // A library's stray promise must not take every conversation down with it (Bolt 5.1's HTTPReceiver
  // rejects unhandled on a signed `null` body, which by default ends the process): log it and go on.
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  const running: RunningAdapter[] = [];
  let store: Store | undefined;
  let scheduler: DailyScheduler | undefined;
  let closePosters = () => {};
  // Adapters and the scheduler stop first (they may still write), then the database closes.
  const stopAll = async () => {
    await Promise.allSettled([...running.map((r) => r.stop()), scheduler?.stop()]);
    closePosters();
    await store?.close().catch((error: unknown) => log.warn({ err: error }, "database close failed"));
  };
  try {
    // A server pays the lazy parts now (tries, extras file) so its first users do not.
    engine.warm();
    // Opened (and migrated) before any adapter takes traffic: the embedded one under DATA_DIR by default.
    store = await openStore(config.store);
    log.info({ database: store.kind }, "database ready");
    const services = { store, daily: dailyService(store, engine) };
    for (const adapter of adapters) running.push(await adapter.start(engine, config, log, services));
    // Every instance runs the scheduler: the database decides which one posts each quote of the day.
    const { dailyPosters } = await import("./adapters/daily.js");
    const daily = await dailyPosters(config, log, store);
    closePosters = daily.close;
    scheduler = new DailyScheduler({
      store,
      engine,
      posters: daily.posters,
      log,
      tickMs: config.dailyTickMs,
    }).start();
  } catch (error) {
    log.fatal({ err: error }, "start-up failed");
    await stopAll();
    return 1;
  }
  log.info({ adapters: running.map((r) => r.name), quotes: engine.size }, "karpathy-quotes is running");

  // Stop accepting, finish what is in flight, exit 0. A second signal changes nothing: `npm start`
  // forwards Ctrl-C to a process that the terminal has already sent it to, so two SIGINTs are normal.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return void log.info({ signal }, "already shutting down");
    stopping = true;
    log.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      log.warn({ graceMs: SHUTDOWN_GRACE_MS }, "shutdown took too long; exiting anyway");
      process.exit(0);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    await stopAll();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
  return 0;
}

process.exitCode = await main();
