// Benchmark: how long the real app takes from an edit being saved to the new
// preview pages being on screen (the autosave debounce is not counted). Opens a
// copy of the example pack (6 pages), then a board-pack-sized one made from it
// (the article repeated as nine more articles: about 20 pages), edits the title
// ROUNDS times with a page in view and reports the app's own measurement
// (data-refresh-ms) and build time (data-build-ms).
//
//   make bench-preview      (release build, under Xvfb; see run.sh)

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const rounds = Number(process.env.ROUNDS ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `median ${median(xs)} ms, min ${Math.min(...xs)} ms, max ${Math.max(...xs)} ms`;

/** A library holding a copy of the example pack named `name`, with `extra` more copies of its article. */
function library(name, extra) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "briefpack-bench-"));
  const pack = path.join(root, name);
  fs.cpSync(process.env.BRIEFPACK_EXAMPLE, pack, { recursive: true, filter: (src) => !src.endsWith("/out") });
  const article = fs.readFileSync(path.join(pack, "articles", "mi5-annual-threat-update.md"), "utf8");
  let sections = "";
  for (let n = 1; n <= extra; n++) {
    const copy = article.replace('title = "MI5 annual threat update"', `title = "MI5 annual threat update, reading ${n}"`);
    fs.writeFileSync(path.join(pack, "articles", `reading-${n}.md`), copy);
    sections += `\n[[sections]]\nkind = "article"\narticle = "reading-${n}"\n`;
  }
  fs.appendFileSync(path.join(pack, "pack.toml"), sections);
  return root;
}

/** Opens `name` in the app and edits its title with each of `pages` in view in turn. */
async function bench(root, name, pages) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "error",
    capabilities: { "tauri:options": { application: process.env.BRIEFPACK_APP, args: [root] } },
  });
  const byId = (id) => browser.$(`[data-testid="${id}"]`);
  try {
    const open = await browser.$(`[data-testid="pack-row"][data-name="${name}"] button.link-button`);
    await open.waitForDisplayed({ timeout: 20000 });
    await open.click();
    const preview = await byId("preview");
    await browser.waitUntil(async () => Number(await preview.getAttribute("data-renders")) > 0, { timeout: 30000 });
    const count = await preview.getAttribute("data-pages");
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

    console.log(`${name} (${count} pages), release app under Xvfb, ${rounds} title edits per position`);
    for (const page of pages) {
      const { refresh, build } = await measure(page);
      console.log(`page ${page} in view: edit saved → pages shown ${summary(refresh)}; build ${summary(build)}`);
      console.log(`  all: ${refresh.join(" ")}`);
    }
    if (process.env.BRIEFPACK_ARTIFACTS) await browser.saveScreenshot(path.join(process.env.BRIEFPACK_ARTIFACTS, `preview-bench-${name}.png`));
  } finally {
    await browser.deleteSession();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await bench(library("mi5", 0), "mi5", [1, 3]);
await bench(library("board-pack", 9), "board-pack", [1, 10]);
