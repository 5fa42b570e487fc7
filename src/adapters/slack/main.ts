// PLACEHOLDER: the Slack adapter is being written (issue). This file is replaced by the real adapter.
import type { SlackConfig } from "../../config.js";
import type { StartAdapter } from "../types.js";

export const startSlack: StartAdapter<SlackConfig> = async () => {
  throw new Error("Slack adapter not implemented yet");
};
