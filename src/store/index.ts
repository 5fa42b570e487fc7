import { join } from "node:path";
import { claim, releaseClaim } from "./claims.js";
import type { Database } from "./database.js";
import { openEmbedded } from "./embedded.js";
import { migrate } from "./migrations.js";
import { openPostgres } from "./postgres.js";

export { pruneClaims } from "./claims.js";
export {
  claimDailyPost,
  type DailyClaim,
  type DailyPost,
  type Day,
  deferDailyPost,
  postedOn,
  recordDailyPost,
} from "./daily.js";
export type { Database, Queryable } from "./database.js";
export { StoreError } from "./database.js";
export {
  deleteSlackInstallation,
  getSlackInstallation,
  type InstallationKey,
  putSlackInstallation,
  type StoredInstallation,
} from "./installations.js";
export { MIGRATIONS, type Migration, migrate } from "./migrations.js";
export {
  activeSubscriptions,
  type Channel,
  getSubscription,
  isPosted,
  type LastPost,
  lastPost,
  pauseSubscription,
  postCounts,
  type Subscription,
  type SubscriptionSettings,
  subscribe,
  unsubscribe,
} from "./subscriptions.js";

export interface StoreOptions {
  /** PostgreSQL connection URL; unset = the embedded database under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory for local data; the embedded database lives in `<dataDir>/db`. */
  dataDir: string;
}

export interface Store extends Database {
  /**
   * True for exactly one caller per `key` across all instances until `ttlMs` has passed (an
   * interaction handled once, however often it is delivered).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Frees `key` for the next caller (what it guarded did not happen). With `claim`, a ClaimStore. */
  release(key: string): Promise<void>;
}

/** The configured database as it is, schema untouched (`openStore` is what the bot uses). */
export function openDatabase(options: StoreOptions): Database {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openEmbedded(join(options.dataDir, "db"));
}

/**
 * Opens the configured database and brings its schema up to date before resolving, so every
 * query after it sees the current tables.
 * @example
 * const store = await openStore({ dataDir: "./data" }); // embedded, created on first use
 * const first = await store.claim(`press:${interactionId}`, 60_000);
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const db = openDatabase(options);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return { ...db, claim: (key, ttlMs) => claim(db, key, ttlMs), release: (key) => releaseClaim(db, key) };
}
