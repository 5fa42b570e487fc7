import { declare, type Reply } from "../types.js";

export default declare({
  name: "sources",
  description: "List the talks and podcasts the quotes come from",
  order: 30,
  options: {},
  execute(_input, { engine }): Reply {
    return { kind: "sources", sources: engine.sources() };
  },
  json(_input, { engine }) {
    return { sources: engine.sources() };
  },
});
