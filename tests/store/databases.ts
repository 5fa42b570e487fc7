import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, openStore, type Store, type StoreOptions } from "../../src/store/index.js";

/** A new, empty database of one kind, and how to throw it away. */
export interface Fresh {
  options: StoreOptions;
  drop(): Promise<void>;
}

/**
 * The two databases every store test runs against: the embedded default and a real PostgreSQL
 * server (started once for the run by tests/setup/postgres.ts).
 */
export const DATABASES: readonly { name: string; fresh: () => Promise<Fresh> }[] = [
  {
    name: "embedded (PGlite)",
    async fresh() {
      const dataDir = tempDir();
      cpSync(await emptyEmbedded(), dataDir, { recursive: true });
      return { options: { dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: "PostgreSQL server",
    async fresh() {
      const admin = inject("postgresUrl");
      const name = `kq_test_${randomBytes(6).toString("hex")}`;
      await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return {
        options: { dataDir: "unused", databaseUrl: url.toString() },
        drop: () => withClient(admin, (c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`)),
      };
    },
  },
];

/** How long opening a fresh database may take: the embedded template's first start (initdb in WebAssembly) on a busy machine. */
export const SETUP_MS = 60_000;

/**
 * For the describe block it is called in: a store on a fresh database of that kind, opened (and
 * migrated) before the block's tests and closed and dropped after them. Call the getter in tests.
 */
export function useStore(fresh: () => Promise<Fresh>): () => Store {
  let db: Fresh | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    db = await fresh();
    store = await openStore(db.options);
  }, SETUP_MS);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });
  return () => {
    if (!store) throw new Error("useStore: the store opens in beforeAll; call the getter inside a test");
    return store;
  };
}

/**
 * A DATA_DIR holding a new, empty embedded database (a copy of the cached template): for tests that
 * start the app itself, which opens its database before it listens.
 */
export async function freshDataDir(): Promise<string> {
  const dataDir = tempDir();
  cpSync(await emptyEmbedded(), dataDir, { recursive: true });
  return dataDir;
}

const tempDir = () => mkdtempSync(join(tmpdir(), "kq-store-"));

const PGLITE_VERSION = (
  JSON.parse(
    readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8"),
  ) as {
    version: string;
  }
).version;

let template: Promise<string> | undefined;
/**
 * A closed, empty embedded database to copy: PGlite's first start runs initdb in WebAssembly
 * (5 to 20 s on a busy machine); a copy opens in under a second. Kept in .cache/ across runs, per
 * PGlite version; built in a temporary directory and renamed, so an interrupted run leaves none.
 */
function emptyEmbedded(): Promise<string> {
  template ??= (async () => {
    const cached = fileURLToPath(new URL(`../../.cache/pglite-${PGLITE_VERSION}-empty`, import.meta.url));
    if (existsSync(cached)) return cached;
    const dataDir = tempDir();
    await openDatabase({ dataDir }).close();
    mkdirSync(dirname(cached), { recursive: true });
    try {
      renameSync(dataDir, cached);
    } catch {
      // Another run cached it first (or .cache is on another device): use what exists.
      if (existsSync(cached)) rmSync(dataDir, { recursive: true, force: true });
      else return dataDir;
    }
    return cached;
  })();
  return template;
}

async function withClient(url: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
