import type { types } from "@slack/bolt";
import { BUTTON_ACTIONS, BUTTON_LABELS, type ButtonAction, type Reply } from "../../../commands/index.js";
import type { QuoteResult } from "../../core/engine.js";
import { describeSource, quoteText } from "../../present.js";
import { clipMrkdwn, clipPlain, escapeMrkdwn, mrkdwnLink, USER_ID } from "./text.js";

type KnownBlock = types.KnownBlock;
type ContextBlock = types.ContextBlock;
type SectionBlock = types.SectionBlock;
type Button = types.Button;

/**
 * Block Kit limits we render within (https://docs.slack.dev/reference/block-kit). The builders here
 * clip to them, so no reply, however long or odd its text, is ever rejected by Slack.
 */
const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** A section's text. */
  sectionText: 3000,
  /** Elements of a context block. */
  contextElements: 10,
  /** One text element of a context block. */
  contextText: 3000,
  /** A button's label. */
  buttonText: 75,
  /** A button's value: where the preview state travels. */
  buttonValue: 2000,
  /** An action_id or block_id. */
  actionId: 255,
  /** The fallback `text` (notifications, screen readers); Slack accepts more but truncates. */
  fallbackText: 3000,
} as const;

/** `kq_send`, `kq_next`, …: the prefix tells our buttons from any other app's. */
export const ACTION_PREFIX = "kq_";
export const actionIdOf = (action: ButtonAction): string => `${ACTION_PREFIX}${action}`;
/** The button action an action_id stands for, or undefined when it is not one of ours. */
export function actionOf(actionId: string): ButtonAction | undefined {
  const name = actionId.startsWith(ACTION_PREFIX) ? actionId.slice(ACTION_PREFIX.length) : "";
  return (BUTTON_ACTIONS as readonly string[]).includes(name) ? (name as ButtonAction) : undefined;
}

/** A message body as chat.postMessage and response_url both take it. */
export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks; mrkdwn, escaped like the blocks. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** The Slack user id of whoever shared a quote; credited as a mention (ids only, never user text). */
  sharerId?: string | undefined;
  /** The slash command's name, for "Shared with /karpathy". */
  command?: string;
}

/** Renders a platform-neutral reply as Block Kit, with the same content the terminal shows. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  switch (reply.kind) {
    case "quote":
      return renderPreview(reply);
    case "shared":
      return renderQuoteMessage(reply.result, sharedCredit(reply.sharedBy, options));
    case "daily": {
      const quote = renderQuoteMessage(reply.result, "Quote of the day");
      const buttons: types.ActionsBlock = {
        type: "actions",
        block_id: "kq_daily",
        elements: [button("context", reply.state)],
      };
      return { text: quote.text, blocks: withinBlockLimit([...quote.blocks, buttons]) };
    }
    case "list":
      return message(
        reply.results.map((r) => escapeMrkdwn(`“${quoteText(r)}”`)).join("\n"),
        reply.results.flatMap((r) => renderQuoteMessage(r).blocks),
      );
    case "document":
      return message(escapeMrkdwn(reply.title), [
        section(`*${escapeMrkdwn(reply.title)}*`),
        ...sections((reply.lines ?? []).map(escapeMrkdwn)),
        ...sections((reply.fields ?? []).map((f) => `*${escapeMrkdwn(f.name)}*  ${escapeMrkdwn(f.value)}`)),
      ]);
    case "context":
      return message(`Context of the quote from ${escapeMrkdwn(reply.result.source.title)}`, [
        section(`Context of the quote from *${escapeMrkdwn(reply.result.source.title)}*:`),
        ...sections(
          reply.lines.map((l) => {
            const line = `${escapeMrkdwn(l.speaker)}: ${escapeMrkdwn(l.text)}`;
            return l.quote ? `»  *${line}*` : `    ${line}`;
          }),
        ),
      ]);
    case "sources":
      return message("Sources", [
        section(`*Sources* (filter with \`${escapeMrkdwn("source:<id>")}\`)`),
        ...sections(
          reply.sources.map((s) => `\`${escapeMrkdwn(s.id)}\`  ${mrkdwnLink(s.url, describeSource(s))}`),
        ),
      ]);
    case "help":
      return message(escapeMrkdwn(reply.title), [
        section(`*${escapeMrkdwn(reply.title)}*`),
        ...sections(
          reply.commands.map((c) => `\`${escapeMrkdwn(c.usage)}\`  ${escapeMrkdwn(c.description)}`),
        ),
        ...sections(reply.tips.map((t) => `•  ${escapeMrkdwn(t)}`)),
      ]);
    case "empty": {
      const where = reply.source ? ` in ${escapeMrkdwn(reply.source)}` : "";
      const tries = reply.suggestions.map((s) => `“${escapeMrkdwn(s)}”`).join(", ");
      const text = `Nothing found for “${escapeMrkdwn(reply.query)}”${where}. Try fewer or other words${tries ? `, e.g. ${tries}` : ""}.`;
      return message(text, [section(text)]);
    }
    case "invalid":
      return message(escapeMrkdwn(reply.message), [section(escapeMrkdwn(reply.message))]);
    case "dismiss":
      return message("Closed.", [section("Closed.")]);
  }
}

/** The ephemeral preview: the quote, its source, "2 of 5", and Send / Next / Context / Cancel. */
function renderPreview(reply: Extract<Reply, { kind: "quote" }>): SlackMessage {
  const { result, position, total, state, query, readAs } = reply;
  const status = [
    total > 1 ? `${position} of ${total}` : undefined,
    readAs
      ? `showing results for “${escapeMrkdwn(readAs)}”`
      : query
        ? `for “${escapeMrkdwn(query)}”`
        : undefined,
  ].filter(Boolean);
  const shown = BUTTON_ACTIONS.filter((a) => a !== "next" || total > 1);
  const buttons: types.ActionsBlock = {
    type: "actions",
    block_id: "kq_preview",
    elements: shown.map((a) => button(a, state)),
  };
  const quote = renderQuoteMessage(result, status.join(" · ") || undefined);
  return { text: quote.text, blocks: withinBlockLimit([...quote.blocks, buttons]) };
}

/** The quote as everyone sees it: verbatim text, "— Andrej Karpathy", source, moment, "also in". */
function renderQuoteMessage(r: QuoteResult, footer?: string): SlackMessage {
  const quote = escapeMrkdwn(`“${quoteText(r)}”`);
  const moment = mrkdwnLink(r.link, r.timestamp ? `▶ at ${r.timestamp}` : "▶ open the source");
  const blocks: KnownBlock[] = [
    section(`>${quote.replace(/\n/gu, "\n>")}`),
    context([`— *${escapeMrkdwn(r.speaker)}*`, escapeMrkdwn(describeSource(r.source)), moment]),
  ];
  if (r.alsoIn.length)
    blocks.push(
      context([
        `Also in: ${r.alsoIn
          .map((a) => mrkdwnLink(a.link, `${a.source.title}${a.timestamp ? ` at ${a.timestamp}` : ""}`))
          .join("; ")}`,
      ]),
    );
  if (footer) blocks.push(context([footer]));
  const fallback = `${quote} — ${escapeMrkdwn(r.speaker)}, ${escapeMrkdwn(r.source.title)}`;
  return message(fallback, blocks);
}

/** "Shared by @ada with /karpathy": a mention built from Slack's own user id, or the escaped name. */
function sharedCredit(name: string | undefined, { sharerId, command = "/karpathy" }: RenderOptions): string {
  const who = sharerId && USER_ID.test(sharerId) ? `<@${sharerId}>` : name ? escapeMrkdwn(name) : undefined;
  return who ? `Shared by ${who} with ${escapeMrkdwn(command)}` : `Shared with ${escapeMrkdwn(command)}`;
}

function message(text: string, blocks: KnownBlock[]): SlackMessage {
  return { text: clipMrkdwn(text, SLACK_LIMITS.fallbackText), blocks: withinBlockLimit(blocks) };
}

/**
 * `verbatim: true` on every mrkdwn object: Slack then links nothing by itself (a bare `@channel`,
 * `#general` or URL in a quote stays text); only the markup we build deliberately is live.
 */
function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: "mrkdwn", text: clipMrkdwn(text, max) || " ", verbatim: true };
}

function section(text: string): SectionBlock {
  return { type: "section", text: mrkdwn(text, SLACK_LIMITS.sectionText) };
}

function context(elements: string[]): ContextBlock {
  return {
    type: "context",
    elements: elements.slice(0, SLACK_LIMITS.contextElements).map((e) => mrkdwn(e, SLACK_LIMITS.contextText)),
  };
}

/** Lines packed into as few sections as the text limit allows; an overlong line is clipped. */
function sections(lines: string[]): SectionBlock[] {
  const out: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out.map(section);
}

function button(action: ButtonAction, state: string): Button {
  return {
    type: "button",
    action_id: actionIdOf(action).slice(0, SLACK_LIMITS.actionId),
    text: { type: "plain_text", text: clipPlain(BUTTON_LABELS[action], SLACK_LIMITS.buttonText) },
    value: state.slice(0, SLACK_LIMITS.buttonValue),
    ...(action === "send" ? { style: "primary" as const } : {}),
  };
}

/** At most 50 blocks; an actions block at the end (the preview's buttons) is always kept. */
function withinBlockLimit(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const last = blocks[blocks.length - 1];
  const keepLast = last?.type === "actions";
  const room = SLACK_LIMITS.blocks - 1 - (keepLast ? 1 : 0);
  return [
    ...blocks.slice(0, room),
    context(["…and more than fits in one message."]),
    ...(keepLast && last ? [last] : []),
  ];
}
