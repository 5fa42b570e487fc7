/**
 * Slack's text format, both ways. Slack sends text with `&`, `<` and `>` entity-encoded and with its
 * own markup (`<@U123>`, `<#C1|general>`, `<!channel>`, `<https://…|label>`); we read it as plain text,
 * and every piece of user or corpus text we send goes out escaped, so it can never become a mention,
 * a broadcast or a link.
 */

import { normalizeWhitespace, sliceWhole } from "../../core/text.js";

/** Escapes text for mrkdwn: Slack asks for exactly these three, and nothing else, to be encoded. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");
}

/** A Slack user id as it appears in payloads; only these are ever written into a `<@…>` mention. */
export const USER_ID = /^[UW][A-Z0-9]{2,20}$/u;

/**
 * Slack markup and entities → plain text: user mentions and broadcasts (`<!here>`) are dropped (they
 * are not words to search for), channels and links keep their label, entities are decoded last so
 * that text the user typed as `<!channel>` (sent to us as `&lt;!channel&gt;`) stays literal text.
 */
export function slackToPlain(text: string): string {
  const plain = text
    .replace(/<([^<>]*)>/gu, (_token, inner: string) => {
      const [target = "", label] = splitLabel(inner);
      if (target.startsWith("@") || target.startsWith("!")) return " ";
      if (target.startsWith("#")) return label ? `#${label}` : " ";
      return label ?? target;
    })
    .replace(/&(amp|lt|gt);/gu, (_entity, name: string) => ({ amp: "&", lt: "<", gt: ">" })[name] ?? "");
  return normalizeWhitespace(plain);
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf("|");
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/**
 * Shortens escaped mrkdwn to at most `max` characters with a trailing ellipsis, never cutting an
 * entity (`&amp;`), a surrogate pair or our own `<url|label>` markup in half.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = sliceWhole(text, max - 1);
  const amp = cut.lastIndexOf("&");
  if (amp >= 0 && !cut.includes(";", amp)) cut = cut.slice(0, amp);
  const open = cut.lastIndexOf("<");
  if (open >= 0 && !cut.includes(">", open)) cut = cut.slice(0, open);
  return `${cut}…`;
}

/** Plain text (button labels, `plain_text` objects) shortened the same way. */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${sliceWhole(text, max - 1)}…`;
}

/**
 * A link in mrkdwn, or the escaped label alone when the URL is not a plain http(s) URL. `|` and the
 * three special characters cannot survive inside the URL, so the markup cannot be broken out of.
 */
export function mrkdwnLink(url: string, label: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeMrkdwn(label);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return escapeMrkdwn(label);
  const href = escapeMrkdwn(parsed.href.replace(/\|/gu, "%7C"));
  return `<${href}|${escapeMrkdwn(label)}>`;
}
