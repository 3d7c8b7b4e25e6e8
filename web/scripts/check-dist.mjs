// Fails the build when a page in dist/ has something the gateway's
// Content-Security-Policy (script-src 'self'; style-src 'self') would block:
// inline <script> or <style>, style="" or on...="" attributes, javascript: URLs.
//   node scripts/check-dist.mjs [dist]
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const dist = process.argv[2] ?? new URL("../dist", import.meta.url).pathname;

async function* htmlFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* htmlFiles(path);
    else if (entry.name.endsWith(".html")) yield path;
  }
}

export function inlineProblems(html) {
  const problems = [];
  // Comments and <noscript> text are not run.
  const text = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const m of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(m[1])) problems.push(`inline <script>: ${m[0].slice(0, 80)}`);
    else if (m[2].trim()) problems.push(`<script src> with a body: ${m[0].slice(0, 80)}`);
  }
  for (const m of text.matchAll(/<style\b[^>]*>/gi)) problems.push(`inline <style>: ${m[0]}`);
  for (const m of text.matchAll(/<[a-z][^>]*\sstyle\s*=\s*["'][^"']*["'][^>]*>/gi)) {
    problems.push(`style="" attribute: ${m[0].slice(0, 80)}`);
  }
  for (const m of text.matchAll(/<[a-z][^>]*\son[a-z]+\s*=[^>]*>/gi)) {
    problems.push(`event handler attribute: ${m[0].slice(0, 80)}`);
  }
  for (const m of text.matchAll(/\b(?:href|src|action)\s*=\s*["']\s*javascript:/gi)) {
    problems.push(`javascript: URL: ${m[0]}`);
  }
  return problems;
}

async function main() {
  let failed = false;
  for await (const file of htmlFiles(dist)) {
    const problems = inlineProblems(await readFile(file, "utf8"));
    for (const p of problems) {
      console.error(`${relative(process.cwd(), file)}: ${p}`);
      failed = true;
    }
  }
  if (failed) {
    console.error("check-dist: the pages above would break under the gateway's Content-Security-Policy");
    process.exit(1);
  }
  console.log("check-dist: no inline script, style or handlers in dist/*.html");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
