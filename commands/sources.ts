import { z } from "zod";
import { declare, type Reply } from "./types.js";

export const sources = declare({
  name: "sources",
  description: "List the talks and podcasts the quotes come from",
  options: [],
  schema: z.object({}),
  execute(_input, { engine }): Reply {
    return { kind: "sources", sources: engine.sources() };
  },
});
