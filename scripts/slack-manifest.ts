/**
 * `npm run slack:manifest`: writes slack/manifest.socket.json and slack/manifest.http.json from the
 * command declarations (src/adapters/slack/manifest.ts).
 * `-- --check` only says whether both files are current (exit 1 when not).
 * `-- --url https://your.host` prints the HTTP manifest for that host instead of writing files.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { MANIFEST_FILES, MANIFEST_MODES, manifestText } from "../src/adapters/slack/manifest.js";

const args = process.argv.slice(2);
const urlAt = args.indexOf("--url");
if (urlAt >= 0) {
  const url = args[urlAt + 1] ?? "";
  if (!/^https:\/\/\S+$/u.test(url)) {
    process.stderr.write("slack:manifest: --url needs your app's public https:// base URL\n");
    process.exit(2);
  }
  process.stdout.write(manifestText("http", url));
} else {
  const check = args.includes("--check");
  let stale = 0;
  for (const mode of MANIFEST_MODES) {
    const name = MANIFEST_FILES[mode];
    const file = fileURLToPath(new URL(`../../${name}`, import.meta.url));
    const after = manifestText(mode);
    let before = "";
    try {
      before = readFileSync(file, "utf8");
    } catch {
      // Missing: written below (or reported stale).
    }
    const current = before === after;
    if (!current) stale += 1;
    if (check)
      process.stdout.write(`${name}: ${current ? "current" : "out of date: npm run slack:manifest"}\n`);
    else {
      if (!current) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, after);
      }
      process.stdout.write(`${name}: ${current ? "current" : "written from commands/"}\n`);
    }
  }
  if (check && stale) process.exitCode = 1;
}
