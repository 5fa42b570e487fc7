import { type Queryable, StoreError } from "./database.js";

/**
 * Set-if-absent with an expiry: true for exactly one caller per `key` until `ttlMs` has passed,
 * across every instance on the database (a button pressed twice, or delivered to two instances, is
 * handled once). Expiry uses the database's clock, the one clock all instances share.
 */
export async function claim(db: Queryable, key: string, ttlMs: number): Promise<boolean> {
  checkTtl(ttlMs);
  // A concurrent insert of the same key waits for the first to commit, then takes the DO UPDATE
  // branch, whose WHERE sees the fresh expiry and returns no row.
  const rows = await db.query(
    `INSERT INTO claims (key, expires_at)
     VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
       WHERE claims.expires_at <= clock_timestamp()
     RETURNING key`,
    [key, ttlMs],
  );
  return rows.length === 1;
}

/** Frees `key` at once: the action it guarded did not happen after all (a Send whose post failed). */
export async function releaseClaim(db: Queryable, key: string): Promise<void> {
  await db.query("DELETE FROM claims WHERE key = $1", [key]);
}

/** Deletes expired claims (they only take space: an expired key is free either way). */
export async function pruneClaims(db: Queryable): Promise<number> {
  const rows = await db.query("DELETE FROM claims WHERE expires_at <= clock_timestamp() RETURNING key");
  return rows.length;
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0)
    throw new StoreError(`Store: a lease or claim needs a positive whole number of ms, got ${ttlMs}`);
}
