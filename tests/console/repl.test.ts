import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runConsole } from "../../src/console/repl.js";
import type { QuoteEngine } from "../../src/core/engine.js";
import { QuoteError } from "../../src/core/errors.js";
import { realEngine } from "../helpers.js";

async function session(...lines: string[]): Promise<string> {
  return sessionWith(realEngine(), ...lines);
}

async function sessionWith(engine: QuoteEngine, ...lines: string[]): Promise<string> {
  let out = "";
  await runConsole(engine, Readable.from([`${lines.join("\n")}\n`]), (t) => {
    out += t;
  });
  return out;
}

describe("the local console", () => {
  it("answers the same commands as chat, with or without the /karpathy prefix, and ends at EOF", async () => {
    const out = await session("/karpathy quote agents", "quote agents", "agents");
    expect(out.match(/— Andrej Karpathy/g)).toHaveLength(3);
  });

  it("pages to the next match and shows the context of the last quote", async () => {
    const out = await session("quote reinforcement learning", "next", "context");
    expect(out).toContain("(1 of ");
    expect(out).toContain("(2 of ");
    expect(out).toMatch(/Context of the quote from/);
  });

  it("shows what a channel's quote of the day would be today with `daily`, the same all day, and its context", async () => {
    const out = await session("daily", "context", "/karpathy daily");
    const quotes = out.match(/Quote of the day:\n“[^”]+”/gu) ?? [];
    expect(quotes).toHaveLength(2);
    expect(quotes[0]).toBe(quotes[1]);
    expect(out).toMatch(/Context of the quote from/u);
  });

  it("lists sources, gives a random quote per source and shows help", async () => {
    const out = await session("sources", "random source:dwarkesh", "help");
    expect(out).toContain("nopriors-blog");
    expect(out).toContain("Dwarkesh Podcast");
    expect(out).toContain("/karpathy quote <query>");
  });

  it("says what to try when nothing is found, and explains bad input", async () => {
    const out = await session("quote kubernetes helm charts", "random source:nope", "next");
    expect(out).toContain('Nothing found for "kubernetes helm charts"');
    expect(out).toContain('Unknown source "nope"');
  });

  it("says a search limited to one source found nothing there, and never suggests the same query", async () => {
    const out = await session("quote agents source:nopriors");
    expect(out).toContain('Nothing found for "agents" in nopriors.');
    expect(out).not.toContain('e.g. "agents"');
  });

  it("forgets the last preview when a new search finds nothing", async () => {
    const out = await session("quote agents", "quote kubernetes helm charts", "next");
    expect(out).toContain("No quote to next");
    expect(out).not.toContain("(2 of ");
  });

  it("keeps the last preview across sources or help", async () => {
    const out = await session("quote agents", "sources", "next");
    expect(out).toContain("(2 of ");
  });

  it("reports an engine failure on its line and goes on with the next", async () => {
    const engine = Object.create(realEngine()) as QuoteEngine;
    engine.context = () => {
      throw new QuoteError("corpus", "Corpus: the index in .cache changed or is unreadable: restart.");
    };
    const out = await sessionWith(engine, "quote agents", "context", "quote agents");
    expect(out).toContain("the index in .cache changed or is unreadable: restart.");
    expect(out.match(/— Andrej Karpathy/g)).toHaveLength(2);
  });
});
