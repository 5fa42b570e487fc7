import type { IncomingMessage, ServerResponse } from "node:http";
import type { QuoteEngine } from "../core/engine.js";
import type { Database } from "../store/index.js";

/**
 * `GET /health` and `GET /ready` on every HTTP endpoint, for load balancers and orchestrators:
 * health says the process answers; ready says every readiness check passes, so traffic may come.
 */

/** One thing that must hold before the endpoint takes traffic (the index; later, the database). */
export interface ReadinessCheck {
  name: string;
  /** True when ready; false or a throw when not. Should answer within a probe's timeout (~1 s). */
  check(): boolean | Promise<boolean>;
}

/** The index is loaded and warmed (warming is idempotent: after start-up this costs nothing). */
export function indexReadiness(engine: QuoteEngine): ReadinessCheck {
  return {
    name: "index",
    check() {
      engine.warm();
      return engine.size > 0;
    },
  };
}

/** Probes wait this long for the database; a slower answer counts as failing. */
const DATABASE_PING_MS = 1000;

/** The database answers `SELECT 1` within a second (down or unreachable: not ready, nothing thrown). */
export function databaseReadiness(db: Pick<Database, "ping">): ReadinessCheck {
  return {
    name: "database",
    async check() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), DATABASE_PING_MS);
      });
      try {
        return await Promise.race([db.ping().then(() => true), late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The checks of an endpoint: the index, and the database when there is one. */
export function readinessOf(engine: QuoteEngine, db?: Pick<Database, "ping">): ReadinessCheck[] {
  return [indexReadiness(engine), ...(db ? [databaseReadiness(db)] : [])];
}

/**
 * Answers `GET`/`HEAD` `/health` (200 `ok`) and `/ready` (200 or 503, with each check's result as
 * JSON). Returns false for any other request, which the caller then handles.
 */
export async function answerProbe(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  checks: readonly ReadinessCheck[],
): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (path === "/health") {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("ok");
    return true;
  }
  if (path !== "/ready") return false;
  const results: Record<string, "ok" | "failing"> = {};
  for (const { name, check } of checks) {
    let ok = false;
    try {
      ok = (await check()) === true;
    } catch {
      // Reported as failing; the probe must answer, not throw.
    }
    results[name] = ok ? "ok" : "failing";
  }
  const ready = Object.values(results).every((r) => r === "ok");
  res
    .writeHead(ready ? 200 : 503, { "Content-Type": "application/json" })
    .end(JSON.stringify({ ready, checks: results }));
  return true;
}
