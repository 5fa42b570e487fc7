import {
  escapeMarkdown,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  MessageFlags,
} from "discord.js";
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIInteractionResponseCallbackData,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import {
  BUTTON_ACTIONS,
  BUTTON_LABELS,
  type ButtonAction,
  type Choice,
  type Reply,
} from "../../../commands/index.js";
import { MESSAGES } from "../../../commands/messages.js";
import type { ContextLine, QuoteResult, SourceInfo } from "../../core/engine.js";
import { shorten } from "../../core/text.js";
import { describeSource, quoteText } from "../../present.js";
import { embedLength, DISCORD_LIMITS as L } from "./limits.js";

/**
 * Neutral reply → Discord message. A `DiscordMessage` is the one shape both transports send: the HTTP
 * endpoint turns it into interaction-response JSON (`toApiMessage`), the gateway into discord.js options
 * (`toDiscordJsReply` / `toDiscordJsUpdate`). Wording comes from `commands/` and `src/present.ts`; this
 * file only lays it out, escapes it and keeps it within Discord's limits.
 */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  /** Only the invoker sees it ("Only you can see this"). Ignored on updates: a message keeps its kind. */
  ephemeral: boolean;
}

const COLOR = 0x5865f2;
/** Button custom ids: `kq:<action>:<state>`; the state comes from `commands/state.ts`. */
const CUSTOM_ID_PREFIX = "kq";

const BUTTON_STYLES: Record<ButtonAction, ButtonStyle.Primary | ButtonStyle.Secondary> = {
  send: ButtonStyle.Primary,
  next: ButtonStyle.Secondary,
  context: ButtonStyle.Secondary,
  cancel: ButtonStyle.Secondary,
};

/** The catalogue's sentences (commands/messages.ts), under the name this adapter's callers know. */
export const NOTES = MESSAGES;

export function renderReply(reply: Reply): DiscordMessage {
  switch (reply.kind) {
    case "quote":
      return {
        embeds: [
          quoteEmbed(reply.result, reply.total > 1 ? `${reply.position} of ${reply.total}` : undefined),
        ],
        components: [previewButtons(reply.state, reply.total)],
        ephemeral: true,
        ...(reply.readAs ? { content: fitText(`Showing results for “${reply.readAs}”.`, L.content) } : {}),
      };
    case "shared":
      return {
        embeds: [quoteEmbed(reply.result, reply.sharedBy ? `Shared by ${reply.sharedBy}` : undefined)],
        components: [],
        ephemeral: false,
      };
    case "daily":
      return {
        embeds: [quoteEmbed(reply.result, "Quote of the day")],
        components: [{ type: ComponentType.ActionRow, components: [button("context", reply.state)] }],
        ephemeral: false,
      };
    case "list":
      return {
        embeds: reply.results.slice(0, L.embeds).map((r) => quoteEmbed(r, undefined)),
        components: [],
        ephemeral: true,
        ...(reply.readAs ? { content: fitText(`Showing results for “${reply.readAs}”.`, L.content) } : {}),
      };
    case "document":
      return { embeds: [documentEmbed(reply)], components: [], ephemeral: true };
    case "context":
      return { embeds: [contextEmbed(reply.result, reply.lines)], components: [], ephemeral: true };
    case "sources":
      return { embeds: [sourcesEmbed(reply.sources)], components: [], ephemeral: true };
    case "help":
      return { embeds: [helpEmbed(reply)], components: [], ephemeral: true };
    case "empty": {
      const tries = reply.suggestions.map((s) => `“${md(s)}”`).join(", ");
      const where = reply.source ? ` in ${md(reply.source)}` : "";
      const tail = `”${where}. Try fewer or other words${tries ? `, e.g. ${tries}` : ""}.`;
      const query = fitText(reply.query, Math.max(1, L.content - tail.length - 40));
      return note(`Nothing found for “${query}${tail}`);
    }
    case "invalid":
      return note(fitText(reply.message, L.content));
    case "dismiss":
      return note(NOTES.closed);
  }
}

/** A short ephemeral text message; also what a preview becomes once sent or cancelled. */
export function note(text: string): DiscordMessage {
  return { content: text.slice(0, L.content), embeds: [], components: [], ephemeral: true };
}

// ── Transports ────────────────────────────────────────────────────────────────────────────────────

/**
 * Interaction-response `data` (HTTP endpoint, webhook follow-ups). Every message allows no mentions at
 * all, so quotes and echoed text can never ping anyone. `update` omits the flags.
 */
export function toApiMessage(m: DiscordMessage, { update = false } = {}): APIInteractionResponseCallbackData {
  return {
    content: m.content ?? "",
    embeds: m.embeds,
    components: m.components,
    allowed_mentions: { parse: [] },
    ...(m.ephemeral && !update ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** What a discord.js reply and an edit both carry. */
const discordJsBody = (m: DiscordMessage) => ({
  content: m.content ?? "",
  embeds: m.embeds,
  components: m.components,
  allowedMentions: { parse: [] },
});

export function toDiscordJsReply(m: DiscordMessage): InteractionReplyOptions {
  return { ...discordJsBody(m), ...(m.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** An edit keeps the message's flags: only a new reply sets ephemeral. */
export function toDiscordJsUpdate(m: DiscordMessage): InteractionUpdateOptions {
  return discordJsBody(m);
}

/**
 * Autocomplete choices within Discord's limits: at most 25, names and values of 1–100 characters.
 * Choices are plain text (nothing pings from them), but what the user typed comes back defused anyway.
 */
export function fitChoices(choices: readonly Choice[]): Choice[] {
  return choices
    .map((c) => ({
      name: fitText(c.name.trim(), L.choiceName, defuseMentions),
      value: fitText(c.value, L.choiceValue, defuseMentions),
    }))
    .filter((c) => c.name.length > 0 && c.value.length > 0)
    .slice(0, L.choices);
}

// ── Buttons ───────────────────────────────────────────────────────────────────────────────────────

export function customIdFor(action: ButtonAction, state: string): string {
  const id = `${CUSTOM_ID_PREFIX}:${action}:${state}`;
  if (id.length > L.customId)
    throw new Error(`Discord: custom_id "${id}" is ${id.length} characters; at most ${L.customId}`);
  return id;
}

/** `kq:next:<state>` → `{ action: "next", state }`; anything else → undefined. */
export function parseCustomId(id: string): { action: string; state: string } | undefined {
  const [prefix, action, ...rest] = id.split(":");
  if (prefix !== CUSTOM_ID_PREFIX || !action || rest.length === 0) return undefined;
  return { action, state: rest.join(":") };
}

function previewButtons(state: string, total: number): APIActionRowComponent<APIButtonComponent> {
  const buttons = BUTTON_ACTIONS.map((action) => button(action, state, action === "next" && total <= 1));
  return { type: ComponentType.ActionRow, components: buttons };
}

function button(action: ButtonAction, state: string, disabled = false): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: customIdFor(action, state),
    label: BUTTON_LABELS[action].slice(0, L.buttonLabel),
    style: BUTTON_STYLES[action],
    disabled,
  };
}

// ── Embeds ────────────────────────────────────────────────────────────────────────────────────────

/** The quote, "— Andrej Karpathy", where it was said (with a link to the moment), "also in", a footer. */
function quoteEmbed(r: QuoteResult, footer: string | undefined): APIEmbed {
  const fields: APIEmbedField[] = [{ name: "Source", value: sourceValue(r) }];
  if (r.alsoIn.length)
    fields.push({
      name: "Also in",
      value: linesWithin(
        r.alsoIn.map((a) => link(fitText(a.source.title, 200), a.link)),
        L.fieldValue,
      ),
    });
  const footerText = footer ? plain(footer, L.footer) : undefined;
  const attribution = `\n— **${fitText(r.speaker, 100)}**`;
  const budget =
    Math.min(L.description, L.embedTotal - embedLength({ fields }) - (footerText?.length ?? 0)) -
    attribution.length -
    2;
  return within({
    color: COLOR,
    description: `“${fitText(quoteText(r), budget)}”${attribution}`,
    fields,
    ...(footerText ? { footer: { text: footerText } } : {}),
  });
}

/** "Dwarkesh Podcast · Andrej Karpathy — AGI is still a decade away · 2025-10-17 · at 00:01:21" + link. */
function sourceValue(r: QuoteResult): string {
  const at = r.timestamp ? ` · at ${r.timestamp}` : "";
  const where = `${fitText(describeSource(r.source), 700)}${at}`;
  const target = link(r.timestamp ? `Watch from ${r.timestamp}` : "Open the source", r.link);
  return linesWithin([where, target], L.fieldValue);
}

function contextEmbed(r: QuoteResult, lines: ContextLine[]): APIEmbed {
  const title = fitText(`Context: ${r.source.title}`, L.title);
  const rendered = lines.map((l) => {
    const line = `**${fitText(l.speaker, 100)}:** ${fitText(l.text, 1500)}`;
    return l.quote ? `> ${line}` : line;
  });
  // Keep the quote and as much around it as fits; drop lines farthest from it first.
  const quoteAt = Math.max(
    0,
    lines.findIndex((l) => l.quote),
  );
  const budget = Math.min(L.description, L.embedTotal - title.length);
  let from = quoteAt;
  let to = quoteAt + 1;
  let length = rendered[quoteAt]?.length ?? 0;
  for (let grew = true; grew; ) {
    grew = false;
    const before = rendered[from - 1];
    if (before !== undefined && length + before.length + 1 <= budget) {
      from--;
      length += before.length + 1;
      grew = true;
    }
    const after = rendered[to];
    if (after !== undefined && length + after.length + 1 <= budget) {
      to++;
      length += after.length + 1;
      grew = true;
    }
  }
  return within({
    color: COLOR,
    title,
    description: rendered.slice(from, to).join("\n") || "—",
    ...(URL.canParse(r.link) ? { url: r.link } : {}),
  });
}

function sourcesEmbed(sources: SourceInfo[]): APIEmbed {
  const fields = sources.map((s) => ({
    name: fitText(s.id, L.fieldName),
    value: linesWithin([fitText(describeSource(s), 700), link("Open", s.url)], L.fieldValue),
  }));
  return within({ color: COLOR, title: "Sources", fields: fieldsWithin(fields, L.embedTotal - 80) });
}

function documentEmbed(reply: Extract<Reply, { kind: "document" }>): APIEmbed {
  const title = fitText(reply.title, L.title);
  const description = linesWithin(
    (reply.lines ?? []).map((l) => fitText(l, 1000)),
    L.description,
  );
  const fields = (reply.fields ?? []).map((f) => ({
    name: fitText(f.name, L.fieldName),
    value: fitText(f.value, L.fieldValue),
    inline: true,
  }));
  return within({
    color: COLOR,
    title,
    ...(reply.lines?.length ? { description } : {}),
    fields: fieldsWithin(fields, L.embedTotal - title.length - description.length),
  });
}

function helpEmbed(reply: Extract<Reply, { kind: "help" }>): APIEmbed {
  const fields = reply.commands.map((c) => ({
    name: fitText(c.usage, L.fieldName),
    value: fitText(c.description, L.fieldValue),
  }));
  const title = fitText(reply.title, L.title);
  const tips = linesWithin(
    reply.tips.map((t) => `• ${fitText(t, 1000)}`),
    L.description,
  );
  return within({
    color: COLOR,
    title,
    description: tips,
    fields: fieldsWithin(fields, L.embedTotal - title.length - tips.length),
  });
}

/** Last line of defence for the 6000 total: drop fields from the end, then description lines. */
function within(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e, fields: [...(e.fields ?? [])] };
  while (embedLength(out) > L.embedTotal && out.fields?.length) out.fields.pop();
  while (embedLength(out) > L.embedTotal && out.description) {
    const cut = out.description.lastIndexOf("\n");
    out.description = cut > 0 ? out.description.slice(0, cut) : "…";
    if (out.description === "…") break;
  }
  if (!out.fields?.length) delete out.fields;
  return out;
}

function fieldsWithin(fields: APIEmbedField[], budget: number): APIEmbedField[] {
  const kept: APIEmbedField[] = [];
  let used = 0;
  for (const f of fields.slice(0, L.fields)) {
    if (used + f.name.length + f.value.length > budget) break;
    used += f.name.length + f.value.length;
    kept.push(f);
  }
  return kept;
}

/** Whole lines joined by newlines, as many as fit in `max` characters (markdown never cut mid-way). */
function linesWithin(lines: string[], max: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const add = line.length + (kept.length ? 1 : 0);
    if (length + add > max) break;
    kept.push(line);
    length += add;
  }
  return kept.join("\n") || "—";
}

/** `[label](url)` for http(s) URLs; the bare label otherwise. The label must already be escaped. */
function link(label: string, url: string): string {
  if (!/^https?:\/\//u.test(url) || !URL.canParse(url)) return label;
  return `[${label}](${new URL(url).toString().replace(/\)/gu, "%29")})`;
}

// ── Text safety ───────────────────────────────────────────────────────────────────────────────────

/** `@everyone`, `@here`, `<@…>`, `<@&…>`, `<#…>` shown as typed but never parsed as a mention. */
function defuseMentions(text: string): string {
  return text.replace(/@(everyone|here)/giu, "@\u200b$1").replace(/<([@#])/gu, "<$1\u200b");
}

/** Text shown literally in a markdown field: mentions defused, every markdown character escaped. */
export function md(text: string): string {
  return escapeMarkdown(defuseMentions(text), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
}

/** Text for places that render no markdown (footers): mentions defused, cut to `max`. */
function plain(text: string, max: number): string {
  return fitText(text, max, defuseMentions);
}

/**
 * `format(text)` within `max` characters: the raw text is shortened (at a word, marked with "…") before
 * formatting, so an escape sequence or a surrogate pair is never cut in half.
 */
export function fitText(text: string, max: number, format: (s: string) => string = md): string {
  if (max <= 0) return "";
  // Formatting only ever adds characters, so a text longer than `max` never fits whole.
  if (text.length <= max) {
    const whole = format(text);
    if (whole.length <= max) return whole;
  }
  const cut = format(shorten(text, max));
  if (cut.length <= max) return cut; // the usual case: nothing near the cut needed escaping
  let lo = 0;
  let hi = Math.min(text.length, max) - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (format(shorten(text, mid)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  const out = format(shorten(text, lo));
  return out.length <= max ? out : "…".slice(0, max);
}
