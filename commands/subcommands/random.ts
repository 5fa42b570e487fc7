import { toJsonResult } from "../../src/json.js";
import { source } from "../options.js";
import { encodeState, newPreviewId, toRef } from "../state.js";
import { declare, type Reply } from "../types.js";

export default declare({
  name: "random",
  description: "A random Karpathy quote",
  order: 20,
  options: { source: source() },
  execute({ source }, { engine, now }): Reply {
    const result = engine.random({ source });
    const id = newPreviewId((now ?? Date.now)());
    return {
      kind: "quote",
      result,
      position: 1,
      total: 1,
      state: encodeState(engine, { refs: [toRef(engine, result.id)], index: 0, id }),
    };
  },
  json({ source }, { engine }) {
    return { results: [toJsonResult(engine.random({ source }))] };
  },
});
