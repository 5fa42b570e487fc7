import { fileURLToPath } from "node:url";
import { ShardingManager } from "discord.js";
import type { DiscordConfig } from "../../config.js";
import type { Logger } from "../../log.js";
import { readinessOf } from "../health.js";
import type { RunningAdapter, StartAdapter } from "../types.js";
import { startGateway } from "./gateway.js";
import { startHttpInteractions } from "./http.js";

/**
 * Starts Discord as configured: the HTTP interactions endpoint (`DISCORD_MODE=http`), or a gateway
 * connection (default), sharded over child processes when DISCORD_SHARDS asks for more than one.
 */
export const startDiscord: StartAdapter<DiscordConfig> = async (engine, config, log, services = {}) => {
  if (config.mode === "http")
    return startHttpInteractions(engine, config, log, {
      readiness: readinessOf(engine, services.store),
      daily: services.daily,
      claims: services.store,
    });
  if (config.shards !== undefined && config.shards !== 1) return startSharded(config, log);
  return startGateway(engine, config, log, services);
};

/** The shard entry script, next to this file (dist/src/adapters/discord/shard.js once built). */
const SHARD_SCRIPT = fileURLToPath(new URL("./shard.js", import.meta.url));

/**
 * Gateway sharding (needed from 2,500 guilds): a ShardingManager spawns one process per shard, each
 * running shard.js (its own engine and Client; discord.js hands it the shard ids).
 */
async function startSharded(config: DiscordConfig, log: Logger): Promise<RunningAdapter> {
  if (!config.token) throw new Error("Discord: DISCORD_TOKEN is required for DISCORD_MODE=gateway");
  const manager = new ShardingManager(SHARD_SCRIPT, {
    token: config.token,
    totalShards: config.shards ?? "auto",
    mode: "process",
    respawn: true,
  });
  manager.on("shardCreate", (shard) => log.info({ shard: shard.id }, "Discord: shard launched"));
  await manager.spawn();
  log.info({ shards: manager.shards.size }, "Discord: all shards spawned");
  return {
    name: `discord (gateway, ${manager.shards.size} shards)`,
    async stop() {
      for (const shard of manager.shards.values()) shard.kill();
    },
  };
}
