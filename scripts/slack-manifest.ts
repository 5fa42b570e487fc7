/**
 * `npm run slack:manifest`: rewrites the slash command's description and usage hint in
 * slack/manifest.yml from the command declarations, leaving every other line as it is.
 * `-- --check` only says whether the file is current (exit 1 when not).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { slashCommandManifest } from "../src/adapters/slack/manifest.js";

const file = fileURLToPath(new URL("../../slack/manifest.yml", import.meta.url));
const before = readFileSync(file, "utf8");
const { description, usage_hint } = slashCommandManifest();
// The two lines right under `- command: /karpathy`; JSON strings are valid YAML scalars.
const after = before.replace(
  /^(\s+- command: \/karpathy\n\s+description: ).*\n(\s+usage_hint: ).*$/mu,
  (_m, head: string, hint: string) => `${head}${description}\n${hint}${JSON.stringify(usage_hint)}`,
);
if (process.argv.includes("--check")) {
  process.stdout.write(
    after === before
      ? "slack/manifest.yml is current\n"
      : "slack/manifest.yml is out of date: npm run slack:manifest\n",
  );
  process.exitCode = after === before ? 0 : 1;
} else {
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(
    `slack/manifest.yml: ${after === before ? "current" : "slash command updated from commands/"}\n`,
  );
}
