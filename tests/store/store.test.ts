import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  claimDailyPost,
  type Database,
  MIGRATIONS,
  migrate,
  openDatabase,
  openStore,
  recordDailyPost,
  type Store,
} from "../../src/store/index.js";
import { DATABASES, type Fresh, sleep } from "./databases.js";

const SETUP_MS = 60_000; // the embedded template's first start (initdb in WebAssembly) on a busy machine

describe.each(DATABASES)("the store on the $name", ({ fresh }) => {
  describe("migrations", () => {
    let db: Fresh;
    const opened: Database[] = [];
    /** A connection (pool) to this test's own, empty database. */
    const connect = () => {
      const connection = openDatabase(db.options);
      opened.push(connection);
      return connection;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((c) => c.close()));
      await db.drop();
    });

    it(
      "apply once when two instances start on the same database at the same moment",
      async () => {
        db = await fresh();
        const [a, b] = [connect(), connect()];
        const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
        // One instance applied every step, the other waited on the lock and found nothing to do.
        expect([...ranA, ...ranB]).toEqual(MIGRATIONS.map((m) => m.version));
        const rows = await a.query("SELECT version FROM schema_migrations ORDER BY version");
        expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
        expect(await migrate(b)).toEqual([]);
      },
      SETUP_MS,
    );
  });

  // The rest share one migrated database: two stores on it, as two instances would be.
  let shared: Fresh;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    shared = await fresh();
    [a, b] = await Promise.all([openStore(shared.options), openStore(shared.options)]);
  }, SETUP_MS);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await shared?.drop();
  });

  describe("migrations on a migrated database", () => {
    it("roll back a failing step, leaving the schema as it was", async () => {
      const broken = [
        ...MIGRATIONS,
        { version: MIGRATIONS.length + 1, name: "broken", sql: "CREATE TABLE half (id int); SELEC 1;" },
      ];
      await expect(migrate(a, broken)).rejects.toThrow(/^Store: migration \d+ \(broken\) failed/u);
      expect(await a.query("SELECT to_regclass('half') AS half")).toEqual([{ half: null }]);
      expect(await a.query("SELECT max(version) AS v FROM schema_migrations")).toEqual([
        { v: MIGRATIONS.length },
      ]);
    });

    it("refuse to run on a database migrated by a newer build", async () => {
      await expect(migrate(a, MIGRATIONS.slice(0, -1))).rejects.toThrow(
        new RegExp(
          `^Store: the database is at migration ${MIGRATIONS.length}, this build knows up to ${MIGRATIONS.length - 1}`,
          "u",
        ),
      );
    });
  });

  describe("claim(key, ttlMs)", () => {
    it("is won by exactly one of many presses arriving on two connections at once", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim("press:123", 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // Another key is a separate claim.
      expect(await b.claim("press:456", 60_000)).toBe(true);
    });

    it("can be won again once it has expired, and not before", async () => {
      expect(await a.claim("press:1", 150)).toBe(true);
      expect(await b.claim("press:1", 150)).toBe(false);
      await sleep(200);
      expect(await b.claim("press:1", 150)).toBe(true);
      expect(await a.claim("press:1", 150)).toBe(false);
    });

    it.each([0, -1, 1.5, Number.NaN])("refuses a ttl of %s ms", async (ttl) => {
      await expect(a.claim("k", ttl)).rejects.toThrow(/^Store: a lease or claim needs a positive/u);
    });
  });

  describe("daily post claims", () => {
    let channels = 0;
    /** A subscription in a channel of its own, so tests sharing the database do not meet. */
    const subscribe = async () => {
      channels += 1;
      const channel = `C${channels}`;
      const [row] = await a.query<{ id: number }>(
        `INSERT INTO daily_subscriptions (platform, workspace_id, channel_id, post_time, time_zone, created_by)
         VALUES ('slack', 'T1', $1, '09:30', 'Europe/Berlin', 'U1') RETURNING id`,
        [channel],
      );
      if (!row) throw new Error("no subscription inserted");
      return { id: row.id, channel };
    };
    const claimFor = (subscriptionId: number, claimant: string, day = "2026-03-29", leaseMs = 60_000) => ({
      subscriptionId,
      day,
      claimant,
      leaseMs,
    });

    it("go to one instance per subscription and day, however many race for it", async () => {
      const { id } = await subscribe();
      const results = await Promise.all(
        ["i1", "i2", "i3", "i4"].map((who, i) => claimDailyPost(i % 2 ? a : b, claimFor(id, who))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // The next day, and another channel's subscription, are claims of their own.
      expect(await claimDailyPost(b, claimFor(id, "i2", "2026-03-30"))).toBe(true);
      expect(await claimDailyPost(b, claimFor((await subscribe()).id, "i2"))).toBe(true);
      const rows = await a.query("SELECT day FROM daily_posts WHERE subscription_id = $1 ORDER BY day", [id]);
      expect(rows).toEqual([{ day: "2026-03-29" }, { day: "2026-03-30" }]);
    });

    it("pass to another instance when the claimer's lease runs out with nothing posted", async () => {
      const { id, channel } = await subscribe();
      expect(await claimDailyPost(a, claimFor(id, "crashed", undefined, 150))).toBe(true);
      expect(await claimDailyPost(b, claimFor(id, "survivor"))).toBe(false);
      await sleep(200);
      expect(await claimDailyPost(b, claimFor(id, "survivor"))).toBe(true);

      // The first claimer, back too late, cannot record a second post; the survivor's counts.
      const post = { subscriptionId: id, day: "2026-03-29", quoteId: "q7", messageId: "1712.0001" };
      expect(await recordDailyPost(a, { ...post, claimant: "crashed" })).toBe(false);
      expect(await recordDailyPost(b, { ...post, claimant: "survivor" })).toBe(true);
      const posts = "SELECT claimed_by, message_id FROM daily_posts WHERE subscription_id = $1";
      expect(await a.query(posts, [id])).toEqual([{ claimed_by: "survivor", message_id: "1712.0001" }]);
      const used = "SELECT quote_id FROM posted_quotes WHERE channel_id = $1";
      expect(await a.query(used, [channel])).toEqual([{ quote_id: "q7" }]);
    });

    it("stay with the poster once the post is recorded, even after the lease", async () => {
      const { id } = await subscribe();
      expect(await claimDailyPost(a, claimFor(id, "i1", undefined, 50))).toBe(true);
      const post = { subscriptionId: id, day: "2026-03-29", quoteId: "q1", messageId: "m1" };
      expect(await recordDailyPost(a, { ...post, claimant: "i1" })).toBe(true);
      await sleep(80);
      expect(await claimDailyPost(b, claimFor(id, "i2"))).toBe(false);
    });
  });
});

describe("the embedded store's directory", () => {
  const embedded = DATABASES[0];
  if (!embedded) throw new Error("no embedded database in DATABASES");
  const lockFile = (dataDir: string) => join(dataDir, "db", "karpathy-quotes.lock");

  it("is refused while another live process has it open, naming that process", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kq-store-"));
    try {
      mkdirSync(join(dataDir, "db"));
      writeFileSync(lockFile(dataDir), String(process.ppid));
      await expect(openStore({ dataDir })).rejects.toThrow(
        new RegExp(
          `^Store: the embedded database in .+ is in use by process ${process.ppid}\\. .+DATABASE_URL`,
          "u",
        ),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it(
    "is taken over from a process that died holding it, and released on close",
    async () => {
      const db = await embedded.fresh();
      try {
        const gone = spawnSync(process.execPath, ["-e", ""]).pid;
        writeFileSync(lockFile(db.options.dataDir), String(gone));
        const store = await openStore(db.options);
        expect(readFileSync(lockFile(db.options.dataDir), "utf8")).toBe(String(process.pid));
        await store.close();
        expect(existsSync(lockFile(db.options.dataDir))).toBe(false);
      } finally {
        await db.drop();
      }
    },
    SETUP_MS,
  );
});
