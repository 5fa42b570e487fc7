import type { Installation } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { databaseInstallationStore } from "../../../src/adapters/slack/installations.js";
import { DATABASES, useStore } from "../../store/databases.js";

/** An installation as Bolt's InstallProvider builds it from oauth.v2.access. */
function installation(team: string, token: string, enterprise?: string, org = false): Installation {
  return {
    team: org ? undefined : { id: team, name: `Team ${team}` },
    enterprise: enterprise ? { id: enterprise, name: "Grid" } : undefined,
    user: { token: undefined, scopes: undefined, id: "U0INSTALLER" },
    bot: { token, scopes: ["commands", "chat:write"], id: "B0BOT", userId: "U0BOT" },
    tokenType: "bot",
    isEnterpriseInstall: org,
    appId: "A0APP",
    authVersion: "v2",
  } as Installation;
}

const team = (teamId: string, enterpriseId?: string) => ({
  teamId,
  enterpriseId,
  isEnterpriseInstall: false,
});

describe.each(DATABASES)("Slack installations in the $name", ({ fresh }) => {
  const store = useStore(fresh);

  it("stores an install, finds it by its team, and a reinstall replaces the token", async () => {
    const installs = databaseInstallationStore(store());
    await installs.storeInstallation(installation("T0AAA", "xoxb-aaa-1"));
    await installs.storeInstallation(installation("T0BBB", "xoxb-bbb"));
    expect((await installs.fetchInstallation(team("T0AAA"))).bot?.token).toBe("xoxb-aaa-1");
    await installs.storeInstallation(installation("T0AAA", "xoxb-aaa-2"));
    expect((await installs.fetchInstallation(team("T0AAA"))).bot?.token).toBe("xoxb-aaa-2");
    expect((await installs.fetchInstallation(team("T0BBB"))).bot?.token).toBe("xoxb-bbb");
  });

  it("keeps what Bolt needs to authorize: the bot's user id, the team's name", async () => {
    const installs = databaseInstallationStore(store());
    await installs.storeInstallation(installation("T0CCC", "xoxb-ccc"));
    expect(await installs.fetchInstallation(team("T0CCC"))).toMatchObject({
      team: { id: "T0CCC", name: "Team T0CCC" },
      bot: { userId: "U0BOT", id: "B0BOT" },
    });
  });

  it("refuses (throws) for a team that never installed or has uninstalled", async () => {
    const installs = databaseInstallationStore(store());
    await expect(installs.fetchInstallation(team("T0NEVER"))).rejects.toThrow(
      /no installation for team T0NEVER/u,
    );
    await installs.storeInstallation(installation("T0DDD", "xoxb-ddd"));
    await installs.deleteInstallation(team("T0DDD"));
    await expect(installs.fetchInstallation(team("T0DDD"))).rejects.toThrow(/no installation/u);
    // Deleting again (a repeated uninstall event) is harmless.
    await expect(installs.deleteInstallation(team("T0DDD"))).resolves.toBeUndefined();
  });

  it("keys an org-wide install by its enterprise, a workspace in a grid by its team", async () => {
    const installs = databaseInstallationStore(store());
    await installs.storeInstallation(installation("", "xoxb-org", "E0GRID", true));
    await installs.storeInstallation(installation("T0EEE", "xoxb-eee", "E0GRID"));
    const org = { teamId: "T0ANY", enterpriseId: "E0GRID", isEnterpriseInstall: true };
    expect((await installs.fetchInstallation(org)).bot?.token).toBe("xoxb-org");
    expect((await installs.fetchInstallation(team("T0EEE", "E0GRID"))).bot?.token).toBe("xoxb-eee");
    await installs.deleteInstallation(org);
    await expect(installs.fetchInstallation(org)).rejects.toThrow(/no installation for enterprise E0GRID/u);
    expect((await installs.fetchInstallation(team("T0EEE", "E0GRID"))).bot?.token).toBe("xoxb-eee");
  });
});
