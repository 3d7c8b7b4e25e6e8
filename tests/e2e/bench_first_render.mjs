// ./clinic bench: the public booking page's JavaScript + CSS (gzip) and its
// first contentful paint on loopback, beside the staff app's login page
// measured the same way in the same run (the public bundle carries no staff
// code, so it should be a fraction of it). Each page is loaded cold (a new
// browser context, no cache) `runs` times; the median paint is printed.
// Not a test: run by ./clinic bench as `node bench_first_render.mjs <json>`.
import { writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { baseUrl } from "./lib.mjs";

const runs = 7;
const out = process.argv[2];

async function measure(browser, path) {
  const paints = [];
  let gzip = 0;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies = [];
    page.on("response", async (response) => {
      const type = response.request().resourceType();
      if (type === "script" || type === "stylesheet") {
        try { bodies.push(await response.body()); } catch { /* gone */ }
      }
    });
    await page.goto(baseUrl + path, { waitUntil: "load" });
    const fcp = await page.evaluate(() => new Promise((resolve) => {
      const seen = performance.getEntriesByName("first-contentful-paint")[0];
      if (seen) return resolve(seen.startTime);
      new PerformanceObserver((list) => {
        const e = list.getEntriesByName("first-contentful-paint")[0];
        if (e) resolve(e.startTime);
      }).observe({ type: "paint", buffered: true });
      setTimeout(() => resolve(NaN), 5000);
    }));
    paints.push(fcp);
    if (i === 0) gzip = bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
    await context.close();
  }
  paints.sort((a, b) => a - b);
  return { gzip_bytes: gzip, fcp_median_ms: paints[Math.floor(paints.length / 2)], fcp_runs_ms: paints };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const book = await measure(browser, "/book.html");
  const staff = await measure(browser, "/staff/login");
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(
    `Public booking page: JS+CSS ${kb(book.gzip_bytes)} kB gzip, first contentful paint ` +
      `${book.fcp_median_ms.toFixed(0)} ms median of ${runs} cold loads on loopback ` +
      `(staff app login, same run: ${kb(staff.gzip_bytes)} kB gzip, ${staff.fcp_median_ms.toFixed(0)} ms; ` +
      `size ${(book.gzip_bytes / staff.gzip_bytes).toFixed(2)}x)`,
  );
  if (out) await writeFile(out, JSON.stringify({ book, staff }) + "\n");
} finally {
  await browser.close();
}
