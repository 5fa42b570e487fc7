import { createInterface } from "node:readline";
import {
  BUTTON_ACTIONS,
  MESSAGES,
  parseCommandText,
  type Reply,
  runAction,
  runCommand,
} from "../../commands/index.js";
import type { QuoteEngine } from "../core/engine.js";
import { QuoteError } from "../core/errors.js";
import { renderText } from "./render.js";

/** Words that press a button of the last preview, as a chat user would click it. */
const BUTTON_WORDS: ReadonlySet<string> = new Set(BUTTON_ACTIONS);

/**
 * The local console: type the same commands as in chat (`/karpathy quote agents`, `quote agents`,
 * `random`, `sources`, `help`), then `next`, `context` or `send` on the last quote. Reads until EOF,
 * so `echo "quote agents" | npm start` works.
 */
export async function runConsole(
  engine: QuoteEngine,
  input: NodeJS.ReadableStream = process.stdin,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Promise<void> {
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const rl = createInterface({
    input,
    terminal: interactive,
    ...(interactive ? { output: process.stdout } : {}),
  });
  if (interactive) {
    write(
      `karpathy-quotes console: ${engine.size} quotes from ${engine.sources().length} sources. Type "help", or Ctrl-D to quit.\n`,
    );
    rl.setPrompt("karpathy> ");
    rl.prompt();
  }
  let lastState: string | undefined;
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text) {
      let rendered: string;
      try {
        const reply = await answer(engine, text, lastState);
        // A new search replaces the last preview even when it finds nothing: `next` must never page
        // an older search. `sources` or `help` in between leave it be.
        if (reply.kind === "quote" || reply.kind === "daily") lastState = reply.state;
        if (reply.kind === "empty" || reply.kind === "dismiss" || reply.kind === "shared")
          lastState = undefined;
        rendered = renderText(reply);
      } catch (error) {
        // One failed line must not end the session; a QuoteError says what to do.
        rendered = error instanceof QuoteError ? error.message : `Something went wrong: ${String(error)}`;
      }
      write(`${rendered}\n\n`);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}

export async function answer(engine: QuoteEngine, text: string, lastState?: string): Promise<Reply> {
  const word = text.toLowerCase();
  if (BUTTON_WORDS.has(word)) {
    if (!lastState) return { kind: "invalid", message: MESSAGES.noPreview(word) };
    return runAction(word, lastState, { engine, user: { id: "console", name: "you" }, surface: "console" });
  }
  const parsed = parseCommandText(text, "console");
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  return runCommand(parsed.command, parsed.options, { engine, surface: "console" });
}
