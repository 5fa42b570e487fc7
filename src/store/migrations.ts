import { type Database, StoreError } from "./database.js";

/**
 * The schema, one numbered step at a time. Append only: a step that has run on someone's database
 * is never edited, the next change is a new step. Each step runs once, in order, in the same
 * transaction that records it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "daily subscriptions, posted quotes, daily posts, claims",
    sql: `
      -- One subscription per channel; workspace_id is the Discord guild or the Slack team.
      CREATE TABLE daily_subscriptions (
        id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        platform      text NOT NULL CHECK (platform IN ('discord', 'slack')),
        workspace_id  text NOT NULL,
        channel_id    text NOT NULL,
        post_time     text NOT NULL CHECK (post_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        time_zone     text NOT NULL,
        source_id     text,
        topic         text,
        created_by    text NOT NULL,
        paused_reason text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, workspace_id, channel_id)
      );

      -- Kept per channel, not per subscription: turning daily off and on again does not repeat quotes.
      CREATE TABLE posted_quotes (
        platform     text NOT NULL,
        workspace_id text NOT NULL,
        channel_id   text NOT NULL,
        quote_id     text NOT NULL,
        posted_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, workspace_id, channel_id, quote_id)
      );

      -- One row per subscription and day: whoever inserts it posts; the lease lets another instance
      -- retry when the claimer dies before recording message_id.
      CREATE TABLE daily_posts (
        subscription_id integer NOT NULL REFERENCES daily_subscriptions (id) ON DELETE CASCADE,
        day             date NOT NULL,
        claimed_by      text NOT NULL,
        lease_until     timestamptz NOT NULL,
        quote_id        text,
        message_id      text,
        posted_at       timestamptz,
        PRIMARY KEY (subscription_id, day)
      );

      -- Set-if-absent keys with an expiry (a button press handled once across instances).
      CREATE TABLE claims (
        key        text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX claims_expires_at ON claims (expires_at);
    `,
  },
  {
    version: 2,
    name: "times each quote was posted in a channel; when a subscription took effect",
    sql: `
      -- A channel's pool is used up when every quote in it has been posted as often as the rest:
      -- the next round draws from those posted the fewest times.
      ALTER TABLE posted_quotes ADD COLUMN times integer NOT NULL DEFAULT 1;
      -- The first day a subscription posts is the first whose time comes after this moment.
      ALTER TABLE daily_subscriptions ADD COLUMN active_from timestamptz NOT NULL DEFAULT now();
    `,
  },
  {
    version: 3,
    name: "slack installations",
    sql: `
      -- One row per Slack install (OAuth mode): a workspace install is keyed by its team id, an
      -- org-wide (Enterprise Grid) install by its enterprise id, as Bolt looks them up. The row holds
      -- the bot token: whoever can read this table can post as the bot in that workspace.
      CREATE TABLE slack_installations (
        kind          text NOT NULL CHECK (kind IN ('team', 'enterprise')),
        id            text NOT NULL,
        team_id       text,
        enterprise_id text,
        installation  jsonb NOT NULL,
        installed_at  timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, id)
      );
    `,
  },
];

/** Any constant: the advisory lock that lets only one instance migrate at a time. */
const MIGRATION_LOCK = 0x6b71_6d69; // "kqmi"

/**
 * Brings the database up to the last migration. Two instances starting at once both wait on one
 * transaction-scoped advisory lock, so the second sees the first's work and applies nothing; a
 * failing step rolls back with everything before it in the same run.
 * @returns the versions applied now (empty when the database was up to date)
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  checkOrder(migrations);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known)
      throw new StoreError(
        `Store: the database is at migration ${newest}, this build knows up to ${known}; run a newer build`,
      );
    const done: number[] = [];
    for (const step of migrations) {
      if (applied.has(step.version)) continue;
      try {
        await tx.exec(step.sql);
      } catch (error) {
        throw new StoreError(`Store: migration ${step.version} (${step.name}) failed: ${String(error)}`, {
          cause: error,
        });
      }
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        step.version,
        step.name,
      ]);
      done.push(step.version);
    }
    return done;
  });
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((step, i) => {
    if (step.version !== i + 1)
      throw new StoreError(`Store: migration ${i + 1} is numbered ${step.version}; number them 1, 2, 3, …`);
  });
}
