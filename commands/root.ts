/** The name users type: `/karpathy` in chat, `karpathy` in a terminal. */
export const ROOT_COMMAND_NAME = "karpathy";
