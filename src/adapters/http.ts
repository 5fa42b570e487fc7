import { once } from "node:events";
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * What both HTTP endpoints (Discord's /interactions, Slack's /slack/events) share: the body cap, the
 * timeouts that drop slow clients, reading a body without buffering more than the cap, and a graceful
 * stop that finishes the requests in flight.
 */
export const HTTP_DEFAULTS = {
  /** Largest request body accepted; a bigger one gets 413 and is not kept. Real payloads are a few KB. */
  maxBodyBytes: 256 * 1024,
  /** A client must send all its headers within this time, else 408 and the connection closes. */
  headersTimeoutMs: 5000,
  /** …and the whole request within this time. Slack and Discord send a few KB at once. */
  requestTimeoutMs: 5000,
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: 5000,
  /** How often Node checks the two timeouts above (its default, 30 s, would let them run 6× over). */
  connectionsCheckingIntervalMs: 1000,
  /** How long a stop waits for requests (and work they started) before closing connections anyway. */
  stopGraceMs: 3000,
  /** Connections open at once; past it a new one gets 503 and is closed (a socket costs a few KB). */
  maxConnections: 2048,
  /**
   * What each request may buffer before its signature is checked without drawing on the shared
   * budget below: real Slack and Discord payloads are a few KB, so they never wait on it.
   */
  freeBodyBytes: 16 * 1024,
  /**
   * Bytes all requests together may buffer past their free share before they are verified; past it,
   * 503 with Retry-After. With the connection cap this bounds pre-auth memory to about
   * 2048 × 16 KiB + 16 MiB ≈ 48 MiB, however many clients stall mid-body.
   */
  preAuthBudgetBytes: 16 * 1024 * 1024,
} as const;

/** Seconds a client refused for load is told to wait. */
export const RETRY_AFTER_S = 1;

/** Waits for `tasks` to settle, or `ms`, whichever comes first: a stop must not hang on stuck work. */
export async function settleWithin(tasks: Iterable<Promise<unknown>>, ms: number): Promise<void> {
  await Promise.race([Promise.allSettled(tasks), sleep(ms, undefined, { ref: false })]);
}

/** What an endpoint may change of `HTTP_DEFAULTS` (tests shorten the timeouts). */
export interface HttpTuning {
  /** Largest request body accepted; a bigger one gets 413 and is not kept. */
  maxBodyBytes?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  stopGraceMs?: number;
  maxConnections?: number;
  preAuthBudgetBytes?: number;
}

/** The bytes a server's requests buffer before verification, beyond each one's free share. */
export class PreAuthBudget {
  private used = 0;
  constructor(
    readonly limit: number = HTTP_DEFAULTS.preAuthBudgetBytes,
    readonly free: number = HTTP_DEFAULTS.freeBodyBytes,
  ) {}

  /** Bytes buffered now beyond the free shares. */
  get inUse(): number {
    return this.used;
  }

  /** Charges `n` bytes, or returns false (charging nothing) when the budget cannot cover them. */
  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}

/**
 * Refuses connections past `max` with a 503 written straight to the socket (no request is parsed
 * for them), then closes them: a flood of idle connections cannot grow memory without bound.
 */
export function capConnections(server: Server, max: number = HTTP_DEFAULTS.maxConnections): void {
  let open = 0;
  server.on("connection", (socket: Socket) => {
    if (open >= max) {
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${RETRY_AFTER_S}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    open++;
    socket.once("close", () => open--);
  });
}

/** 503 with Retry-After, then the connection closes: the server is busy, the client may try again. */
export function refuseBusy(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Retry-After", String(RETRY_AFTER_S));
  res.setHeader("Connection", "close");
  res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" }).end("busy, retry shortly");
  req.destroy();
}

/** `createServer` options that drop slow clients after a few seconds (408, then the socket closes). */
export function serverOptions(tuning: HttpTuning = {}): ServerOptions {
  const headersTimeout = tuning.headersTimeoutMs ?? HTTP_DEFAULTS.headersTimeoutMs;
  const requestTimeout = Math.max(headersTimeout, tuning.requestTimeoutMs ?? HTTP_DEFAULTS.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: HTTP_DEFAULTS.keepAliveTimeoutMs,
    // Checked at least five times per timeout, so none runs more than 20% over.
    connectionsCheckingInterval: Math.min(
      HTTP_DEFAULTS.connectionsCheckingIntervalMs,
      Math.max(10, Math.floor(headersTimeout / 5)),
    ),
  };
}

/**
 * The body, "too large" as soon as it is larger than `max` (a declared Content-Length over the cap is
 * refused before a byte is read, a chunked body the moment it grows past it), or "busy" when what it
 * buffers beyond its free share would overdraw the server's pre-auth `budget`.
 */
export function readBody(
  req: IncomingMessage,
  max: number,
  budget?: PreAuthBudget,
): Promise<Buffer | "too large" | "busy"> {
  if (Number(req.headers["content-length"] ?? 0) > max) return Promise.resolve("too large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let charged = 0;
    const settle = (result: Buffer | "too large" | "busy" | Error) => {
      req.off("data", onData);
      budget?.give(charged);
      charged = 0;
      chunks.length = 0;
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return settle("too large");
      const over = budget ? Math.max(0, size - budget.free) - charged : 0;
      if (over > 0) {
        if (!budget?.take(over)) return settle("busy");
        charged += over;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => settle(Buffer.concat(chunks, size)));
    req.once("error", (error) => settle(error));
    // A client that vanishes mid-body must give its share back.
    req.once("close", () => {
      if (!req.complete) settle(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
    });
  });
}

/**
 * True if the JSON text nests arrays/objects deeper than `max`. A scan of the text, without recursion
 * or parsing, so a hostile body is refused before any recursive schema (zod's `z.lazy`) can overflow
 * the stack on it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The request's path, or undefined when its target does not parse as a URL (`POST http://[::1`):
 * that is the client's mistake, worth a 400, not an exception and a 500.
 */
export function requestPath(req: IncomingMessage): string | undefined {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return undefined;
  }
}

/**
 * Logs refusals at most once per `intervalMs` per cause, with how many were refused since the last
 * line: a flood of bad requests must not become a flood of log lines.
 */
export function refusalLogger(
  write: (cause: string, refused: number) => void,
  intervalMs = 60_000,
  now = Date.now,
): (cause: string) => void {
  const causes = new Map<string, { loggedAt: number; refused: number }>();
  return (cause) => {
    const entry = causes.get(cause);
    if (entry && now() - entry.loggedAt < intervalMs) return void entry.refused++;
    write(cause, (entry?.refused ?? 0) + 1);
    causes.set(cause, { loggedAt: now(), refused: 0 });
  };
}

/** True when the client went away mid-request (a reset, an unfinished body): not an error of ours. */
export function clientAborted(req: IncomingMessage, error: unknown): boolean {
  return req.destroyed || (error as { code?: unknown } | undefined)?.code === "ECONNRESET";
}

/** 413, then the connection closes: what is still arriving is discarded, for a second at most. */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Connection", "close");
  res.writeHead(413, { "Content-Type": "text/plain; charset=utf-8" }).end("request body too large");
  req.resume();
  const timer = setTimeout(() => req.destroy(), 1000);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
}

export interface GracefulServer {
  /** Requests being answered right now. */
  readonly inFlight: number;
  /**
   * Keeps listening while refusing keep-alive until the kernel's accept queue is empty (see
   * `DRAIN_DEFAULTS`), so connections already queued are taken and answered, then stops listening; lets the requests in flight finish
   * (their connections close after the response), waits for `work` too, then resolves; after
   * `graceMs` whatever is left is cut off.
   */
  close(work?: () => Iterable<Promise<unknown>>, graceMs?: number): Promise<void>;
}

/** How a stop drains (tests and callers keep the defaults). */
export const DRAIN_DEFAULTS = {
  /**
   * How long a stopping server keeps accepting at least: closing the listening socket at once would
   * reset every connection the kernel has queued (or is still handshaking) but the process has not
   * yet accepted. It goes on accepting while the queue is not empty…
   */
  drainMs: 100,
  /** …for at most this long (within the stop's grace). */
  maxDrainMs: 2000,
  /**
   * How long a connection accepted during the stop may take to start its request before it is
   * closed (a client that connects and says nothing must not hold the stop for the whole grace).
   */
  firstRequestMs: 1000,
  /** How often the stop looks for connections it may close. */
  sweepMs: 25,
} as const;

interface Tracked {
  at: number;
  /** Responses under way on it. */
  busy: number;
  /**
   * What it had sent when its last response finished; undefined before its first. A connection idle
   * since then may be closed; one that has sent more is starting its next request.
   */
  readAtLastResponse: number | undefined;
}

/**
 * Tracks a server's connections and requests so it can stop gracefully. Node's `server.close()`
 * stops listening at once (the kernel resets what it had queued) and closes every connection not
 * yet parsing a request, including ones accepted a moment ago whose request is already on its way
 * (another reset); without it, keep-alive connections would linger 5 s after their last response.
 * This drains the accept queue first, closes each connection as soon as it has nothing left to do,
 * and gives a just-accepted one a moment to send its request.
 */
export function graceful(server: Server): GracefulServer {
  const { drainMs, maxDrainMs, firstRequestMs, sweepMs } = DRAIN_DEFAULTS;
  const active = new Set<ServerResponse>();
  const sockets = new Map<Socket, Tracked>();
  let closing = false;
  let closedEvent = false;
  /** Connections accepted so far: a stop watches it to see the accept queue run dry. */
  let accepted = 0;
  server.once("close", () => {
    closedEvent = true;
  });
  server.on("connection", (socket: Socket) => {
    sockets.set(socket, { at: Date.now(), busy: 0, readAtLastResponse: undefined });
    accepted++;
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    const tracked = sockets.get(req.socket);
    if (tracked) tracked.busy++;
    if (closing && !res.headersSent) res.setHeader("Connection", "close");
    res.once("close", () => {
      active.delete(res);
      if (tracked) {
        tracked.busy--;
        tracked.readAtLastResponse = req.socket.bytesRead;
      }
    });
  });
  /** Closes the connections with nothing left to do: idle after a response, or silent too long. */
  const sweep = () => {
    const now = Date.now();
    for (const [socket, t] of sockets) {
      if (t.busy > 0) continue;
      const idle = t.readAtLastResponse === undefined ? 0 : t.readAtLastResponse;
      const waited = t.readAtLastResponse === undefined ? now - t.at > firstRequestMs : true;
      if (socket.bytesRead === idle && waited) socket.destroy();
    }
  };
  /**
   * Keeps accepting for at least `drainMs`, then until a turn of the event loop accepts nothing
   * (its poll found the accept queue empty; a busy loop takes one connection per turn), for at most
   * `maxDrainMs`: a client that keeps connecting cannot hold the stop open.
   */
  const drainBacklog = async (limitMs: number) => {
    const started = Date.now();
    await sleep(Math.min(drainMs, limitMs));
    let seen = -1;
    while (seen !== accepted && Date.now() - started < limitMs) {
      seen = accepted;
      // Between two immediates the loop polls once (without waiting, as an immediate is pending).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  let closed: Promise<void> | undefined;
  return {
    get inFlight() {
      return active.size;
    },
    close(work = () => [], graceMs = HTTP_DEFAULTS.stopGraceMs) {
      closed ??= (async () => {
        closing = true;
        for (const res of active) if (!res.headersSent) res.setHeader("Connection", "close");
        const deadline = sleep(graceMs, undefined, { ref: false });
        // Someone (Bolt's own stop) may have called server.close() already: wait for its 'close' event.
        const stopped = closedEvent ? Promise.resolve() : once(server, "close");
        const sweeper = setInterval(sweep, sweepMs);
        sweep();
        try {
          if (server.listening) {
            await drainBacklog(Math.min(maxDrainMs, graceMs));
            // net's close, not http's: http's also closes connections accepted in the last poll
            // whose request has not been parsed yet.
            netClose.call(server);
          }
          await Promise.race([stopped, deadline]);
          // Work a request started after its response (a follow-up, a response_url call) may still run.
          await Promise.race([Promise.allSettled(work()), deadline]);
        } finally {
          clearInterval(sweeper);
          server.closeAllConnections();
        }
      })();
      return closed;
    },
  };
}

/** `net.Server#close`: stops listening and leaves the connections alone (http's override does not). */
const netClose = NetServer.prototype.close;
