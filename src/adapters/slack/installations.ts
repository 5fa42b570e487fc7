import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { z } from "zod";
import {
  deleteSlackInstallation,
  getSlackInstallation,
  type InstallationKey,
  putSlackInstallation,
  type Queryable,
} from "../../store/index.js";

/**
 * Bolt's InstallationStore over the project's database (slack_installations): embedded by default,
 * PostgreSQL with DATABASE_URL, so every instance behind a load balancer sees every install. Keyed
 * the way Bolt's own stores key them: an org-wide install by its enterprise id, any other by its team.
 */
export function databaseInstallationStore(db: Queryable): Required<InstallationStore> {
  return {
    async storeInstallation(installation) {
      const key = keyOfInstallation(installation);
      await putSlackInstallation(db, {
        ...key,
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        installation,
      });
    },
    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const stored = storedSchema.safeParse(await getSlackInstallation(db, key));
      // Bolt turns this into an AuthorizationError: HTTP mode answers 401, no listener runs.
      if (!stored.success) throw new Error(`Slack: no installation for ${key.kind} ${key.id}`);
      return stored.data as unknown as Installation;
    },
    async deleteInstallation(query) {
      await deleteSlackInstallation(db, keyOfQuery(query));
    },
  };
}

/**
 * The bot token stored for a workspace, `undefined` when it has no usable installation (never
 * installed, or uninstalled): what a quote of the day posts with in OAuth mode.
 */
export async function botTokenOf(db: Queryable, teamId: string): Promise<string | undefined> {
  const stored = storedSchema.safeParse(await getSlackInstallation(db, { kind: "team", id: teamId }));
  return stored.success ? stored.data.bot.token : undefined;
}

/** What a stored installation must hold to be used: a bot token (the app asks for no user scopes). */
const storedSchema = z.looseObject({
  bot: z.looseObject({ token: z.string().min(1), userId: z.string().optional(), id: z.string().optional() }),
});

function keyOfInstallation(installation: Installation): InstallationKey {
  if (installation.isEnterpriseInstall && installation.enterprise?.id)
    return { kind: "enterprise", id: installation.enterprise.id };
  if (installation.team?.id) return { kind: "team", id: installation.team.id };
  throw new Error("Slack: an installation without a team or enterprise id cannot be stored");
}

export function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  if (query.isEnterpriseInstall && query.enterpriseId) return { kind: "enterprise", id: query.enterpriseId };
  if (query.teamId) return { kind: "team", id: query.teamId };
  throw new Error("Slack: an installation query needs a team id (or an enterprise id for an org install)");
}
