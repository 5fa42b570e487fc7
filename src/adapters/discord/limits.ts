import type { APIEmbed, APIInteractionResponseCallbackData } from "discord-api-types/v10";

/**
 * Discord's message limits (https://discord.com/developers/docs/resources/message). The builders check
 * each field on its own; nothing checks the 6000-character total, so the renderer budgets for it and
 * `messageProblems` checks every rule at once (the tests run it on everything the adapter sends).
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  /** Title, description, field names and values, footer text and author name of all embeds together. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Command registration: a command's, subcommand's or option's description. */
  commandDescription: 100,
} as const;

/** The characters of an embed that count towards the 6000 total. */
export function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Every limit a message breaks, as readable sentences; `[]` when it is valid. */
export function messageProblems(m: APIInteractionResponseCallbackData): string[] {
  const L = DISCORD_LIMITS;
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(m.allowed_mentions?.parse?.length === 0, "allowed_mentions.parse is not []");
  check((m.content ?? "").length <= L.content, `content over ${L.content}`);
  const embeds = m.embeds ?? [];
  check(embeds.length <= L.embeds, `over ${L.embeds} embeds`);
  check(
    embeds.reduce((n, e) => n + embedLength(e), 0) <= L.embedTotal,
    `embeds over ${L.embedTotal} in total`,
  );
  for (const e of embeds) {
    check((e.title?.length ?? 0) <= L.title, `title over ${L.title}`);
    check((e.description?.length ?? 0) <= L.description, `description over ${L.description}`);
    check((e.footer?.text.length ?? 0) <= L.footer, `footer over ${L.footer}`);
    check((e.author?.name.length ?? 0) <= L.author, `author over ${L.author}`);
    check((e.fields ?? []).length <= L.fields, `over ${L.fields} fields`);
    for (const f of e.fields ?? []) {
      check(f.name.length >= 1 && f.name.length <= L.fieldName, `field name not 1–${L.fieldName}`);
      check(f.value.length >= 1 && f.value.length <= L.fieldValue, `field value not 1–${L.fieldValue}`);
    }
  }
  const rows = m.components ?? [];
  check(rows.length <= L.rows, `over ${L.rows} rows`);
  for (const row of rows) {
    const buttons = "components" in row ? row.components : [];
    check(buttons.length <= L.buttonsPerRow, `over ${L.buttonsPerRow} buttons in a row`);
    for (const b of buttons) {
      if ("label" in b) check((b.label ?? "").length <= L.buttonLabel, `button label over ${L.buttonLabel}`);
      if ("custom_id" in b) check(b.custom_id.length <= L.customId, `custom_id over ${L.customId}`);
    }
  }
  check(Boolean(m.content) || embeds.length > 0, "neither content nor embeds");
  return problems;
}
