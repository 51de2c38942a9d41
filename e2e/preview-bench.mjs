// Benchmark: how long the real app takes from an edit being saved to the new
// preview pages being on screen (the autosave debounce is not counted). Opens a
// copy of the example pack, edits its title ROUNDS times and reports the
// app's own measurement (data-refresh-ms) and build time (data-build-ms).
//
//   make bench-preview      (release build, under Xvfb; see run.sh)

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const rounds = Number(process.env.ROUNDS ?? 15);
const library = fs.mkdtempSync(path.join(os.tmpdir(), "briefpack-bench-"));
fs.cpSync(process.env.BRIEFPACK_EXAMPLE, path.join(library, "mi5"), { recursive: true, filter: (src) => !src.endsWith("/out") });

const browser = await remote({
  hostname: "127.0.0.1",
  port: 4444,
  logLevel: "error",
  capabilities: { "tauri:options": { application: process.env.BRIEFPACK_APP, args: [library] } },
});
const byId = (id) => browser.$(`[data-testid="${id}"]`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const open = await browser.$('[data-testid="pack-row"][data-name="mi5"] button.link-button');
  await open.waitForDisplayed({ timeout: 20000 });
  await open.click();
  const preview = await byId("preview");
  await browser.waitUntil(async () => Number(await preview.getAttribute("data-renders")) > 0, { timeout: 30000 });
  const pages = await preview.getAttribute("data-pages");
  const title = await byId("field-title");
  await title.waitForDisplayed({ timeout: 10000 });

  /** Edits the title `rounds` times with `page` scrolled into view; returns the app's timings. */
  async function measure(page) {
    const refresh = [];
    const build = [];
    for (let round = 0; round < rounds; round++) {
      await browser.execute((n) => document.querySelectorAll(".pdf-pages > .pdf-page")[n - 1]?.scrollIntoView({ block: "start" }), page);
      const renders = Number(await preview.getAttribute("data-renders"));
      await title.setValue(`State threats and terrorism, draft ${page}.${round}`);
      await browser.waitUntil(async () => Number(await preview.getAttribute("data-renders")) > renders, { timeout: 30000 });
      // Only the pages in view count for the refresh time; let the others finish drawing too.
      await browser.waitUntil(async () => (await (await byId("preview-status")).getText()).startsWith("Built"), { timeout: 30000 });
      refresh.push(Number(await preview.getAttribute("data-refresh-ms")));
      build.push(Number(await preview.getAttribute("data-build-ms")));
    }
    return { refresh, build };
  }

  const summary = (xs) => `median ${median(xs)} ms, min ${Math.min(...xs)} ms, max ${Math.max(...xs)} ms`;
  console.log(`example pack (${pages} pages), release app under Xvfb, ${rounds} title edits per position`);
  for (const page of [1, 3]) {
    const { refresh, build } = await measure(page);
    console.log(`page ${page} in view: edit saved → pages shown ${summary(refresh)}; build ${summary(build)}`);
    console.log(`  all: ${refresh.join(" ")}`);
  }
  if (process.env.BRIEFPACK_ARTIFACTS) await browser.saveScreenshot(path.join(process.env.BRIEFPACK_ARTIFACTS, "preview-bench.png"));
} finally {
  await browser.deleteSession();
  fs.rmSync(library, { recursive: true, force: true });
}
