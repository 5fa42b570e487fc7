import pg from "pg";
import type { Database } from "./database.js";

const DATE_OID = 1082;

/**
 * PostgreSQL through node-postgres (`pg`): the most used driver, a connection pool, and
 * transactions on one checked-out client. `date` stays a `YYYY-MM-DD` string (pg would turn it into
 * a Date at local midnight, a day off in any zone west of the server).
 */
export function openPostgres(url: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  // An idle client losing its server (restart, failover) must not crash the bot: the pool drops
  // it and the next query connects again.
  pool.on("error", () => {});
  let closed = false;

  return {
    kind: "postgres",
    async query<Row>(sql: string, params?: readonly unknown[]) {
      return (await pool.query(sql, params ? [...params] : undefined)).rows as Row[];
    },
    // Without parameters pg uses the simple protocol, which takes several statements at once.
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn({
          query: async <Row>(sql: string, params?: readonly unknown[]) =>
            (await client.query(sql, params ? [...params] : undefined)).rows as Row[],
          exec: async (sql: string) => {
            await client.query(sql);
          },
        });
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A client whose ROLLBACK fails is broken: destroy it rather than return it to the pool.
        const rollback = await client.query("ROLLBACK").then(
          () => undefined,
          (e: unknown) => e,
        );
        client.release(rollback instanceof Error ? rollback : undefined);
        throw error;
      }
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
