/**
 * The one interface both databases implement: PGlite (embedded, the default) and PostgreSQL
 * (`DATABASE_URL`). Both speak PostgreSQL's SQL, so every statement in src/store runs unchanged on
 * either; only connecting differs.
 */

/** Anything that runs a parameterised statement: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one statement with `$1`, `$2`, … bound to `params`; resolves to its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements with no parameters (a migration). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** `embedded` (PGlite in a directory) or `postgres` (a server through `DATABASE_URL`). */
  readonly kind: "embedded" | "postgres";
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws (the error is passed on).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query; rejects otherwise (for readiness checks). */
  ping(): Promise<void>;
  /** Releases the connection(s); the database is unusable afterwards. */
  close(): Promise<void>;
}

/** An error from src/store, worded for the log: it names the module and what to do. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}
