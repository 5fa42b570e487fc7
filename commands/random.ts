import { z } from "zod";
import { SOURCE_OPTION, sourceOption } from "./options.js";
import { encodeState, toRef } from "./state.js";
import { declare, type Reply } from "./types.js";

export const random = declare({
  name: "random",
  description: "A random Karpathy quote",
  options: [SOURCE_OPTION],
  schema: z.object({ source: sourceOption }),
  execute({ source }, { engine }): Reply {
    const result = engine.random({ source });
    return {
      kind: "quote",
      result,
      position: 1,
      total: 1,
      state: encodeState(engine, { refs: [toRef(engine, result.id)], index: 0 }),
    };
  },
});
