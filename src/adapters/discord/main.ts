// PLACEHOLDER: the Discord adapter is being written (issue). This file is replaced by the real adapter.
import type { DiscordConfig } from "../../config.js";
import type { StartAdapter } from "../types.js";

export const startDiscord: StartAdapter<DiscordConfig> = async () => {
  throw new Error("Discord adapter not implemented yet");
};
