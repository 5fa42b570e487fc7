/**
 * A loopback stand-in for the Slack Web API's side of an OAuth install: `oauth.v2.access` exchanges a
 * known code (with our client id and secret) for its workspace's bot token, `auth.test` and every
 * other method answer only a token Slack granted. Shared by the OAuth tests.
 */
import { BOT_SCOPES } from "../../../src/adapters/slack/manifest.js";
import { type Captured, USER } from "./harness.js";

export const CLIENT_ID = "1111111111.2222222222222";
export const CLIENT_SECRET = "client-secret-0123456789abcdef";
export const STATE_COOKIE = "slack-app-oauth-state";

/** Two workspaces, each with the code Slack would hand its installer and the token it grants. */
export const WORKSPACES = {
  acme: { team: "T0ACME", code: "code-acme", token: "xoxb-acme-token", botUser: "U0BOTACME" },
  globex: { team: "T0GLOBEX", code: "code-globex", token: "xoxb-globex-token", botUser: "U0BOTGLOBEX" },
} as const;
export type Workspace = (typeof WORKSPACES)[keyof typeof WORKSPACES];

/** The Web API stand-in: oauth.v2.access exchanges a known code for its workspace's token. */
export function webApi(req: Captured): { status: number; body: unknown } {
  const method = req.path.replace(/^\/api\//u, "");
  const form = new URLSearchParams(req.body);
  const bearer = req.headers.authorization?.replace(/^Bearer /u, "");
  const byToken = Object.values(WORKSPACES).find((w) => w.token === bearer);
  switch (method) {
    case "oauth.v2.access": {
      const w = Object.values(WORKSPACES).find((x) => x.code === form.get("code"));
      const client = form.get("client_id") === CLIENT_ID && form.get("client_secret") === CLIENT_SECRET;
      if (!w || !client)
        return { status: 200, body: { ok: false, error: w ? "invalid_client" : "invalid_code" } };
      return {
        status: 200,
        body: {
          ok: true,
          app_id: "A0APP",
          authed_user: { id: USER },
          scope: BOT_SCOPES.join(","),
          token_type: "bot",
          access_token: w.token,
          bot_user_id: w.botUser,
          team: { id: w.team, name: w.team },
          enterprise: null,
          is_enterprise_install: false,
        },
      };
    }
    case "auth.test":
      return byToken
        ? {
            status: 200,
            body: { ok: true, team_id: byToken.team, user_id: byToken.botUser, bot_id: "B0BOT" },
          }
        : { status: 200, body: { ok: false, error: "invalid_auth" } };
    default:
      // chat.postMessage, chat.postEphemeral, views.publish: only with a token Slack granted.
      return byToken
        ? { status: 200, body: { ok: true, channel: "D0DM", ts: "1700000000.000300" } }
        : { status: 200, body: { ok: false, error: "invalid_auth" } };
  }
}
