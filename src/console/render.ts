import type { Reply } from "../../commands/index.js";
import type { QuoteResult } from "../core/engine.js";
import { describeSource, quoteText } from "../present.js";

/** Renders a reply as plain terminal text: what the console and the CLI print. */
export function renderText(reply: Reply): string {
  switch (reply.kind) {
    case "quote":
      return [
        ...(reply.readAs ? [`Showing results for "${reply.readAs}".`] : []),
        ...quoteLines(reply.result),
        reply.total > 1
          ? `  (${reply.position} of ${reply.total}: type "next" for the next match, "context" for the exchange)`
          : `  (type "context" for the exchange around it)`,
      ].join("\n");
    case "shared":
      return [...quoteLines(reply.result), reply.sharedBy ? `  shared by ${reply.sharedBy}` : ""]
        .filter(Boolean)
        .join("\n");
    case "daily":
      return [
        "Quote of the day:",
        ...quoteLines(reply.result),
        `  (type "context" for the exchange around it)`,
      ].join("\n");
    case "list":
      return [
        ...(reply.readAs ? [`Showing results for "${reply.readAs}".\n`] : []),
        reply.results.map((r, i) => `${i + 1}. ${quoteLines(r).join("\n")}`).join("\n\n"),
      ].join("\n");
    case "document":
      return [
        reply.title,
        ...(reply.lines ?? []).map((l) => `  ${l}`),
        ...(reply.fields ?? []).map((f) => `  ${`${f.name}:`.padEnd(20)} ${f.value}`),
      ].join("\n");
    case "context":
      return [
        `Context of the quote from ${reply.result.source.title}:`,
        ...reply.lines.map((l) => `${l.quote ? "»" : " "} ${l.speaker}: ${l.text}`),
      ].join("\n");
    case "sources":
      return [
        "Sources:",
        ...reply.sources.map((s) => `  ${s.id.padEnd(15)} ${describeSource(s)}\n  ${"".padEnd(15)} ${s.url}`),
      ].join("\n");
    case "help":
      return [
        reply.title,
        "",
        ...reply.commands.map((c) => `  ${c.usage.padEnd(44)} ${c.description}`),
        "",
        ...reply.tips.map((t) => `  • ${t}`),
      ].join("\n");
    case "empty":
      return `Nothing found for "${reply.query}"${reply.source ? ` in ${reply.source}` : ""}. Try fewer or other words${
        reply.suggestions.length ? `, e.g. ${reply.suggestions.map((s) => `"${s}"`).join(", ")}` : ""
      }.`;
    case "invalid":
      return reply.message;
    case "dismiss":
      return "Closed.";
  }
}

function quoteLines(r: QuoteResult): string[] {
  const lines = [
    `“${quoteText(r)}”`,
    `  — ${r.speaker}`,
    `  ${describeSource(r.source)}${r.timestamp ? ` · at ${r.timestamp}` : ""}`,
    `  ${r.link}`,
  ];
  if (r.alsoIn.length) lines.push(`  also in: ${r.alsoIn.map((a) => a.source.title).join("; ")}`);
  return lines;
}
