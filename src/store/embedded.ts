import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { type Database, type Queryable, StoreError } from "./database.js";

/**
 * PGlite is PostgreSQL compiled to WebAssembly: one connection, in this process, no server and no
 * native build, so `npm start` needs nothing installed. Two PGlite instances on one directory would
 * corrupt it, so each directory is opened once per process (later opens share it, counted) and
 * guarded by a lock file against a second process.
 */
interface Shared {
  pglite: Promise<PGlite>;
  users: number;
}

const open = new Map<string, Shared>();

/** `date` columns stay `YYYY-MM-DD` strings, as with `pg` (see postgres.ts): a day has no zone. */
const parsers = { [types.DATE]: (value: string) => value };

export function openEmbedded(directory: string): Database {
  const dir = resolve(directory);
  let shared = open.get(dir);
  if (!shared) {
    const created: Shared = { pglite: start(dir), users: 0 };
    created.pglite.catch(() => open.delete(dir));
    open.set(dir, created);
    shared = created;
  }
  shared.users += 1;
  const { pglite } = shared;
  let closed = false;

  const query = async <Row>(sql: string, params?: readonly unknown[]) =>
    (await (await pglite).query<Row>(sql, params ? [...params] : undefined)).rows;

  return {
    kind: "embedded",
    query,
    async exec(sql) {
      await (await pglite).exec(sql);
    },
    async transaction(fn) {
      return (await pglite).transaction((tx) =>
        fn({
          query: async <Row>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<Row>(sql, params ? [...params] : undefined)).rows,
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        } satisfies Queryable),
      );
    },
    async ping() {
      await query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      const entry = open.get(dir);
      if (!entry || entry.pglite !== pglite) return;
      entry.users -= 1;
      if (entry.users > 0) return;
      open.delete(dir);
      await (await pglite).close();
      unlock(dir);
    },
  };
}

async function start(dir: string): Promise<PGlite> {
  mkdirSync(dir, { recursive: true });
  lock(dir);
  try {
    return await PGlite.create(dir, { parsers });
  } catch (error) {
    unlock(dir);
    throw new StoreError(`Store: cannot open the embedded database in ${dir}: ${String(error)}`, {
      cause: error,
    });
  }
}

const lockFile = (dir: string) => `${dir}/karpathy-quotes.lock`;

/** Takes the directory for this process, or throws naming the process that has it. */
function lock(dir: string): void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile(dir), "wx");
      writeFileSync(fd, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile(dir), "utf8"));
      if (holder !== process.pid && isAlive(holder))
        throw new StoreError(
          `Store: the embedded database in ${dir} is in use by process ${holder}. ` +
            "Run one instance per DATA_DIR, or set DATABASE_URL to share a PostgreSQL server.",
        );
      rmSync(lockFile(dir), { force: true }); // left by a process that is gone
    }
  }
  throw new StoreError(`Store: cannot lock ${lockFile(dir)}`);
}

function unlock(dir: string): void {
  rmSync(lockFile(dir), { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
