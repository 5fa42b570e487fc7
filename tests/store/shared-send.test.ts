/**
 * Send is idempotent across instances: its claim lives in the database, so a second press delivered
 * to another instance (behind a load balancer) posts nothing and says "Already sent.". Two real
 * Discord HTTP endpoints on 127.0.0.1 share one database, each with its own loopback fake Discord.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openStore, type Store } from "../../src/store/index.js";
import {
  buttonPress,
  chatInput,
  customIdOf,
  engine,
  keyPair,
  signed,
  silentLog,
  startTestEndpoint,
  type TestEndpoint,
} from "../adapters/discord/fixtures.js";
import { DATABASES, type Fresh } from "./databases.js";

const keys = keyPair();

describe.each(DATABASES)("Send pressed on two instances sharing the $name database", ({ fresh }) => {
  let db: Fresh;
  let stores: Store[];
  let instances: TestEndpoint[];

  beforeAll(async () => {
    db = await fresh();
    stores = [await openStore(db.options)];
    // PGlite is one process's file: the embedded case shares one handle, as one machine would.
    stores.push(db.options.databaseUrl ? await openStore(db.options) : (stores[0] as Store));
    instances = await Promise.all(
      stores.map((store) => startTestEndpoint(engine, keys, silentLog(), () => 200, { claims: store })),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    await Promise.all([...new Set(stores)].map((s) => s.close()));
    await db.drop();
  });

  async function send(instance: TestEndpoint, payload: unknown) {
    const text = JSON.stringify(payload);
    const res = await fetch(instance.endpoint.url, {
      method: "POST",
      body: text,
      headers: signed(keys.privateKey, text),
    });
    return (await res.json()) as { type: number; data?: Parameters<typeof customIdOf>[0] };
  }

  it("posts once: the press on the second instance answers Already sent.", async () => {
    const [a, b] = instances as [TestEndpoint, TestEndpoint];
    const preview = await send(a, chatInput("quote", { query: "decade of agents" }));
    const sendId = customIdOf(preview.data, "send");
    expect(await send(a, buttonPress(sendId))).toEqual({ type: 6 });
    await vi.waitFor(() => expect(a.followUps.filter((f) => f.method === "POST").length).toBe(1), {
      timeout: 5000,
    });
    // The claim is the database's, which the other instance reads: not this process's memory.
    expect((await (stores[1] as Store).query("SELECT key FROM claims")).length).toBeGreaterThan(0);
    const second = await send(b, buttonPress(sendId));
    expect(JSON.stringify(second)).toContain("Already sent.");
    await new Promise((r) => setTimeout(r, 300));
    expect(b.followUps.filter((f) => f.method === "POST")).toEqual([]);
  });
});
