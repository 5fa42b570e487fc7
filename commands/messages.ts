/**
 * Every sentence a user may see that is not a quote, keyed by code, so that two surfaces never word
 * the same thing differently (as discord.js keeps its errors in one catalogue). Short, and each says
 * what to do next.
 */
export const MESSAGES = {
  sent: "Sent to the channel.",
  alreadySent: "Already sent.",
  closed: "Preview closed.",
  notSent: "Could not post the quote in the channel. Try again in a moment.",
  failure: "Something went wrong on our side. Try again in a moment.",
  badButton: "That button is not valid any more. Run the command again.",
  stale: "This preview is from an older version of the corpus. Run the command again.",
  expired: "This preview has expired. Run the command again.",
  notYours:
    "Only the person who ran this command can use these buttons. Run /karpathy quote to get your own.",
  unsupported: "This bot only answers /karpathy and the buttons of its previews.",
  noPreview: (action: string) => `No quote to ${action}: ask for one first, e.g. "quote agents".`,
  unknownCommand: (name: string, help: string) => `Unknown command "${name}". Try ${help}.`,
  unknownButton: (action: string) => `Unknown button "${action}".`,
  notAllowed: (what: string) => `You need the ${what} permission here to do that.`,
  dailyNowhere: "A quote of the day can be set up in a server or workspace channel the bot is in.",
  dailyUnavailable: "The quote of the day is not available on this bot right now. Try again later.",
  dailyNotOn: "No quote of the day in this channel. Turn it on with /karpathy daily on <HH:MM> <zone>.",
  dailyOff: "Quote of the day turned off for this channel.",
  dailyNoTopic: (topic: string) => `Nothing in the corpus matches the topic "${topic}": try other words.`,
} as const;

/** How each permission is named to users. */
export const PERMISSION_NAMES = { manageChannel: "Manage Channel" } as const;
