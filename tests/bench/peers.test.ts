import { describe, expect, it } from "vitest";
import { PEERS } from "../../src/bench/peers.js";

/** Three passages, each with words the others lack. */
const passages = [
  { id: "s:0", text: "I think this is really the decade of agents, not the year of agents." },
  { id: "s:1", text: "Tesla uses expensive sensors like lidar at training time, and vision at test time." },
  { id: "s:2", text: "We are not building animals, we are building ghosts: people spirits." },
];

// The bench's peers table compares these libraries with the engine: each must find a passage that
// holds every word of the query, or its hit@3 would measure the adapter, not the library.
describe.each(PEERS.map((p) => [p.name, p] as const))("the %s peer", (_, peer) => {
  const search = peer.build(passages);

  it("returns the passage that holds an obvious query's words first", () => {
    expect(search("tesla lidar", 3)[0]).toBe("s:1");
  });

  it("returns at most `limit` passage ids", () => {
    expect(search("agents ghosts lidar", 1).length).toBeLessThanOrEqual(1);
  });
});
