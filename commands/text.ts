import { normalizeWhitespace } from "../src/core/text.js";
import { COMMANDS, findCommand, isGroup, ROOT_COMMAND } from "./registry.js";
import { fullName, type Surface } from "./types.js";

export type ParsedText =
  | { ok: true; command: string; options: Record<string, string> }
  | { ok: false; message: string };

/**
 * `name:value` or `name=value`. A value that starts with `/` (`https://…`) is a word, not an option, and
 * so is a word ending in the separator (`note:`): people type colons in prose, and an empty option
 * would refuse or drop what they meant as a search.
 */
const OPTION_TOKEN = /^([a-z][a-z0-9_-]*)[:=](?!\/)(.+)$/iu;

/**
 * Reads a command typed as text, the way Slack delivers it and the console takes it:
 * `[/karpathy] [group] [command] [words…] [name:value…]`, strictly: words after a command that takes
 * none, an option given twice or a group without its subcommand are errors that say what was expected
 * (undeclared options are refused by `runCommand`). Text that does not start with a command name is a
 * quote query, so `/karpathy agents` just works and a new command changes only what its own name means.
 */
export function parseCommandText(raw: string, surface: Surface = "console"): ParsedText {
  const text = normalizeWhitespace(raw).replace(new RegExp(`^/?${ROOT_COMMAND}\\b\\s*`, "iu"), "");
  const tokens = text ? text.split(" ") : [];
  const options: Record<string, string> = {};
  const words: string[] = [];
  let name: string | undefined;
  let rest = tokens;
  const [first = "", second = ""] = tokens;
  if (isGroup(first)) {
    const group = COMMANDS.find((c) => c.group?.name === first.toLowerCase())?.group;
    const sub =
      findCommand(`${first} ${second}`) ?? (second ? undefined : findCommand(`${first} ${group?.default}`));
    if (!sub) {
      const group = first.toLowerCase();
      const names = COMMANDS.filter((c) => c.group?.name === group).map((c) => c.name);
      return { ok: false, message: `${group} needs one of: ${names.join(", ")}.` };
    }
    name = fullName(sub);
    rest = tokens.slice(second ? 2 : 1);
  } else if (findCommand(first) && !findCommand(first)?.group) {
    name = fullName(findCommand(first) as NonNullable<ReturnType<typeof findCommand>>);
    rest = tokens.slice(1);
  }
  const declared = name ? findCommand(name) : undefined;
  // A `words` option given by name takes the words after it too: `topic:reinforcement learning`.
  let takingWords: string | undefined;
  for (const token of rest) {
    const option = OPTION_TOKEN.exec(token);
    if (!option) {
      if (takingWords) options[takingWords] = `${options[takingWords]} ${token}`.trim();
      else words.push(token);
      continue;
    }
    const key = (option[1] ?? "").toLowerCase();
    if (key in options) return { ok: false, message: `${key} is given twice: give it once.` };
    options[key] = option[2] ?? "";
    const kind = declared?.options[key];
    takingWords = kind?.kind === "words" && !kind.positional ? key : undefined;
  }
  if (!name) {
    // Options alone (`source:dwarkesh`) ask for a random quote; nothing at all asks for help.
    if (!words.length) return { ok: true, command: Object.keys(options).length ? "random" : "help", options };
    name = "quote";
  }
  const command = findCommand(name);
  if (!command) return { ok: false, message: `Unknown command "${name}".` };
  const positionals = Object.entries(command.options).filter(
    ([, o]) => o.positional && (!o.surfaces || o.surfaces.includes(surface)),
  );
  // One word each, in order; the last positional takes the rest.
  for (const [key] of positionals.slice(0, -1)) {
    const word = words.shift();
    if (word === undefined) break;
    if (key in options) return { ok: false, message: `${key} is given twice: give it once.` };
    options[key] = word;
  }
  const positional = positionals.at(-1);
  if (words.length) {
    if (!positional) {
      const typed = words.join(" ");
      return {
        ok: false,
        message: `${name} takes no words, but got "${typed}". To search for them: /${ROOT_COMMAND} quote ${typed}`,
      };
    }
    const [key] = positional;
    if (key in options) return { ok: false, message: `${key} is given twice: give it once.` };
    options[key] = words.join(" ");
  }
  return { ok: true, command: name, options };
}
