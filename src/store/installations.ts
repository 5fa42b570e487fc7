import type { Queryable } from "./database.js";

/**
 * Slack installations (OAuth mode), one row per install. The store keeps Bolt's installation object
 * as JSON and knows only how it is keyed; src/adapters/slack/installations.ts maps Bolt's
 * InstallationStore calls onto these three functions.
 */

/** How an install is found: a workspace by its team id, an org-wide install by its enterprise id. */
export interface InstallationKey {
  kind: "team" | "enterprise";
  id: string;
}

export interface StoredInstallation extends InstallationKey {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  /** The platform's own record (tokens, scopes, ids), stored as it is. */
  installation: unknown;
}

/** Inserts an install, or replaces the one with the same key (a reinstall, new scopes, a new token). */
export async function putSlackInstallation(db: Queryable, row: StoredInstallation): Promise<void> {
  await db.query(
    `INSERT INTO slack_installations (kind, id, team_id, enterprise_id, installation)
     VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (kind, id) DO UPDATE SET
       team_id = EXCLUDED.team_id, enterprise_id = EXCLUDED.enterprise_id,
       installation = EXCLUDED.installation, updated_at = now()`,
    [row.kind, row.id, row.teamId ?? null, row.enterpriseId ?? null, JSON.stringify(row.installation)],
  );
}

/** The stored installation object, or undefined when there is none under that key. */
export async function getSlackInstallation(db: Queryable, key: InstallationKey): Promise<unknown> {
  const rows = await db.query<{ installation: unknown }>(
    "SELECT installation FROM slack_installations WHERE kind = $1 AND id = $2",
    [key.kind, key.id],
  );
  const value = rows[0]?.installation;
  // pg parses jsonb; PGlite too, but a driver returning text would still be read correctly.
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** Removes an install; resolves to whether there was one. */
export async function deleteSlackInstallation(db: Queryable, key: InstallationKey): Promise<boolean> {
  const rows = await db.query("DELETE FROM slack_installations WHERE kind = $1 AND id = $2 RETURNING id", [
    key.kind,
    key.id,
  ]);
  return rows.length > 0;
}
