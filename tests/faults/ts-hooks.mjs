/**
 * Node module hooks that run this project's TypeScript sources directly (for the tests that spawn the
 * app): `./x.js` resolves to `./x.ts` when only the source exists, and `.ts` files are transpiled with
 * the project's own TypeScript, one file at a time (no type check: `tsc --noEmit` does that).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, next) {
  if (/^\.{1,2}\//u.test(specifier) && specifier.endsWith(".js") && context.parentURL?.startsWith("file:")) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const source = new URL(url.href.replace(/\.js$/u, ".ts"));
      if (existsSync(fileURLToPath(source)))
        return { url: source.href, format: "module", shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
