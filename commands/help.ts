import { ROOT_COMMAND_NAME } from "./root.js";
import { type CommandDeclaration, fullName, isOn, optionsOn, type Reply, type Surface } from "./types.js";

/**
 * A command's usage line as `surface` takes it, from its declaration alone:
 * chat and console `/karpathy quote <query> [source:<id>]`; CLI `karpathy quote [--source <id>] <query>`.
 */
export function usageOf(c: CommandDeclaration, surface: Surface = "discord"): string {
  const options = optionsOn(c, surface);
  const cli = surface === "cli";
  const shown = options.map(([key, o]) => {
    const text = o.positional
      ? o.placeholder
      : cli
        ? `--${o.flag ?? key} ${o.placeholder}`
        : `${key}:${o.placeholder}`;
    return o.required ? text : `[${text}]`;
  });
  // The CLI's positional words go last, after the flags.
  if (cli) shown.sort((a, b) => Number(!a.startsWith("[")) - Number(!b.startsWith("[")));
  return [cli ? ROOT_COMMAND_NAME : `/${ROOT_COMMAND_NAME}`, fullName(c), ...shown].join(" ");
}

/** Help is built from the declarations themselves, so it cannot drift from what the commands accept. */
export function helpCommand(all: () => readonly CommandDeclaration[]): CommandDeclaration {
  return {
    name: "help",
    description: "How to use this bot",
    order: 1000,
    options: {},
    execute(_input, context): Reply {
      const surface = context.surface ?? "console";
      return {
        kind: "help",
        title: "Verbatim Andrej Karpathy quotes, with their source and the moment they were said.",
        commands: all()
          .filter((c) => isOn(c, surface))
          .map((c) => ({ usage: usageOf(c, surface), description: c.description })),
        tips: [
          "A few keywords, a half-remembered phrase or a question all work: /karpathy quote what should kids study?",
          "Only Karpathy's own words are quoted; interviewers' questions are never shown as quotes.",
          "Preview buttons: Send posts the quote to the channel, Next shows the next match, Context shows the exchange around it.",
        ],
      };
    },
  };
}
