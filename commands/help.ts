import { z } from "zod";
import type { CommandDeclaration, Reply } from "./types.js";

/** `/karpathy quote query:<query> [source:<source>]`: the usage line every platform shows. */
export function usageOf(c: CommandDeclaration): string {
  const options = c.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}:<id>]`));
  return ["/karpathy", c.name, ...options].join(" ");
}

/** Help is built from the declarations themselves, so it cannot drift from what the commands accept. */
export function helpCommand(all: () => readonly CommandDeclaration[]): CommandDeclaration {
  return {
    name: "help",
    description: "How to use this bot",
    options: [],
    schema: z.object({}),
    execute(): Reply {
      return {
        kind: "help",
        title: "Verbatim Andrej Karpathy quotes, with their source and the moment they were said.",
        commands: all().map((c) => ({ usage: usageOf(c), description: c.description })),
        tips: [
          "A few keywords, a half-remembered phrase or a question all work: /karpathy quote what should kids study?",
          "Only Karpathy's own words are quoted; interviewers' questions are never shown as quotes.",
          "Preview buttons: Send posts the quote to the channel, Next shows the next match, Context shows the exchange around it.",
        ],
      };
    },
  };
}
