/**
 * How many quotes of the day one instance posts within their minute: N subscriptions all due at the
 * same minute, half Discord and half Slack, posted by one scheduler tick through the real REST and
 * Web API clients to loopback stand-ins (127.0.0.1) on the configured database (embedded by default).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discordPoster } from "../adapters/discord/daily.js";
import { slackPoster } from "../adapters/slack/daily.js";
import type { QuoteEngine } from "../core/engine.js";
import { DailyScheduler } from "../daily/scheduler.js";
import { createLogger } from "../log.js";
import { openStore } from "../store/index.js";

export interface DailyBenchRow {
  subscriptions: number;
  /** From the tick's start to the last post recorded. */
  ms: number;
  posted: number;
}

/** A stand-in answering every post at once: Discord with a message id, Slack with `ok` and a ts. */
async function standIn(kind: "discord" | "slack"): Promise<{ url: string; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      n += 1;
      const body =
        kind === "discord"
          ? { id: String(100_000_000_000_000_000n + BigInt(n)) }
          : { ok: true, ts: `${n}.0001` };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${kind === "discord" ? "/api" : "/api/"}`, server };
}

/**
 * Posts `sizes` subscriptions (each size on its own day) and times each tick. `databaseUrl` unset:
 * a new embedded database in a temporary directory, removed at the end.
 */
export async function benchDaily(
  engine: QuoteEngine,
  sizes: readonly number[],
  databaseUrl?: string,
): Promise<DailyBenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "kq-bench-daily-"));
  const store = await openStore({ dataDir, databaseUrl });
  const [discord, slack] = await Promise.all([standIn("discord"), standIn("slack")]);
  const discordPost = discordPoster({ token: `Bench.${"x".repeat(60)}`, apiUrl: discord.url });
  const rows: DailyBenchRow[] = [];
  try {
    for (const [i, size] of sizes.entries()) {
      await store.query("DELETE FROM daily_subscriptions");
      const due = Date.UTC(2030, 0, 1 + i, 9, 30);
      await store.query(
        `INSERT INTO daily_subscriptions
           (platform, workspace_id, channel_id, post_time, time_zone, created_by, active_from)
         SELECT CASE WHEN g % 2 = 0 THEN 'discord' ELSE 'slack' END, 'W1', (200000000000000000 + g)::text,
                '09:30', 'UTC', 'bench', $2
         FROM generate_series(1, $1::int) AS g`,
        [size, new Date(due - 3_600_000).toISOString()],
      );
      const scheduler = new DailyScheduler({
        store,
        engine,
        posters: [discordPost, slackPoster({ botToken: "xoxb-bench", apiUrl: slack.url })],
        log: createLogger(process.env.BENCH_LOG === "1" ? "warn" : "silent"),
        now: () => due,
      });
      const started = performance.now();
      const report = await scheduler.tick();
      rows.push({ subscriptions: size, ms: performance.now() - started, posted: report.posted });
    }
  } finally {
    discordPost.close();
    await Promise.all([discord, slack].map((s) => new Promise((r) => s.server.close(r))));
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
