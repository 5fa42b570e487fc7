/** The `daily` group's shared parts: the group, and the status every subcommand answers with. */
import { formatIn } from "../src/daily/time.js";
import { MESSAGES } from "./messages.js";
import type {
  CommandContext,
  DailyPlace,
  DailyService,
  DailyStatus,
  GroupDeclaration,
  Reply,
} from "./types.js";

export const DAILY_GROUP: GroupDeclaration = {
  name: "daily",
  description: "A quote of the day in this channel",
  default: "status",
};

/** The channel and the service, or the reply saying why there is none. */
export function dailyWhere(context: CommandContext): { place: DailyPlace; daily: DailyService } | Reply {
  if (!context.place) return { kind: "invalid", message: MESSAGES.dailyNowhere };
  if (!context.daily) return { kind: "invalid", message: MESSAGES.dailyUnavailable };
  return { place: context.place, daily: context.daily };
}

export const isReply = (v: object): v is Reply => "kind" in v;

/** `Thu 4 Dec 2026, 09:30 (Europe/Berlin)`. */
const when = (at: Date, zone: string) => `${formatIn(at, zone, "ccc d LLL yyyy, HH:mm")} (${zone})`;

/** The status as a document every surface renders: time, zone, what it draws from, last and next post. */
export function statusDocument(title: string, s: DailyStatus): Reply {
  const fields = [
    { name: "Time", value: `${s.time} ${s.timeZone}` },
    { name: "Quotes from", value: describePool(s) },
    { name: "Set by", value: s.createdBy },
    {
      name: "Last post",
      value: s.lastPost
        ? `${when(s.lastPost.postedAt, s.timeZone)}${s.lastPost.quote ? `: “${shortText(s.lastPost.quote.text)}”` : ""}`
        : "none yet",
    },
    s.pausedReason
      ? { name: "Paused", value: `${s.pausedReason}. Run /karpathy daily on again once it is fixed.` }
      : { name: "Next post", value: s.nextPost ? when(s.nextPost, s.timeZone) : "—" },
  ];
  return { kind: "document", title, fields };
}

function describePool(s: Pick<DailyStatus, "sourceId" | "topic">): string {
  if (s.topic && s.sourceId) return `matches for “${s.topic}” in ${s.sourceId}`;
  if (s.topic) return `matches for “${s.topic}”`;
  if (s.sourceId) return `the source ${s.sourceId}`;
  return "every source";
}

function shortText(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
