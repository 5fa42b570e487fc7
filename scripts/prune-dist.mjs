// Deletes compiled command files whose source is gone: commands/ discovers its subcommands by listing
// dist/commands/subcommands/, and tsc never removes the output of a deleted file.
import { existsSync, readdirSync, rmSync } from "node:fs";

const out = new URL("../dist/commands/subcommands/", import.meta.url);
const src = new URL("../commands/subcommands/", import.meta.url);
if (existsSync(out))
  for (const file of readdirSync(out)) {
    const base = file.replace(/\.(d\.ts|js\.map|js)$/u, "");
    if (!existsSync(new URL(`${base}.ts`, src))) rmSync(new URL(file, out), { force: true });
  }
