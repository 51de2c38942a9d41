// The real Briefpack window, driven like a person would: WebDriver through
// tauri-driver and WebKitWebDriver, under Xvfb (see run.sh). Each test starts the
// app on a fresh temporary library and saves a screenshot of every step.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const app = process.env.BRIEFPACK_APP;
const artifacts = process.env.BRIEFPACK_ARTIFACTS ?? "artifacts";
const example = process.env.BRIEFPACK_EXAMPLE;
const savePath = process.env.BRIEFPACK_TEST_SAVE_PATH;

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "out") continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

/** A fresh library folder, optionally holding a copy of the example pack. */
function freshLibrary({ withExample = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "briefpack-e2e-"));
  if (withExample) copyDir(example, path.join(dir, "mi5"));
  return dir;
}

async function start(library) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app, args: [library] } },
  });
  await browser.setTimeout({ implicit: 0 });
  return browser;
}

let shot = 0;
async function screenshot(browser, name) {
  shot += 1;
  await browser.saveScreenshot(path.join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`));
}

const byId = (browser, id) => browser.$(`[data-testid="${id}"]`);

async function fill(browser, id, value) {
  const el = await byId(browser, id);
  await el.waitForDisplayed({ timeout: 10000 });
  await el.click();
  await el.clearValue();
  await el.setValue(value);
}

async function waitForPreview(browser, { after } = {}) {
  const preview = await byId(browser, "preview");
  await browser.waitUntil(
    async () => {
      const pages = Number(await preview.getAttribute("data-pages"));
      const ms = await preview.getAttribute("data-build-ms");
      return pages > 0 && (after === undefined || ms !== after);
    },
    { timeout: 30000, timeoutMsg: "the preview never showed pages" },
  );
  return preview.getAttribute("data-build-ms");
}

test("the library lists packs and names the file of a broken one", async () => {
  const library = freshLibrary({ withExample: true });
  fs.mkdirSync(path.join(library, "broken"));
  fs.writeFileSync(path.join(library, "broken", "pack.toml"), "format = 1\ntitle = \n");
  const browser = await start(library);
  try {
    const rows = await browser.$$('[data-testid="pack-row"]');
    await browser.waitUntil(async () => (await browser.$$('[data-testid="pack-row"]')).length === 2, { timeout: 15000 });
    await screenshot(browser, "library-with-broken-pack");
    const broken = await browser.$('[data-testid="pack-row"][data-name="broken"]');
    const text = await broken.getText();
    assert.match(text, /pack\.toml:2/, `the broken pack row says where the problem is: ${text}`);
    const good = await browser.$('[data-testid="pack-row"][data-name="mi5"]');
    assert.match(await good.getText(), /State threats and terrorism/);
    assert.ok(rows !== undefined);
  } finally {
    await browser.deleteSession();
  }
});

test("a person creates a pack, fills it, sees the preview and exports a PDF", async () => {
  const library = freshLibrary();
  const browser = await start(library);
  try {
    await (await byId(browser, "new-pack")).click();
    await fill(browser, "new-pack-title", "Q1 threat briefing for the board");
    await screenshot(browser, "new-pack-dialog");
    await (await byId(browser, "new-pack-create")).click();

    await (await byId(browser, "tab-details")).waitForDisplayed({ timeout: 15000 });
    const firstBuild = await waitForPreview(browser);
    await screenshot(browser, "editor-opened");

    await (await byId(browser, "tab-details")).click();
    await (await browser.$('[data-testid="field-marking"] label[data-marking="TLP:GREEN"]')).click();
    await fill(browser, "field-date", "16/10/2025");
    await (await browser.$('button[aria-label="Choose the date from a calendar"]')).click();
    await (await browser.$('button[aria-label="20 Oct 2025"]')).waitForDisplayed({ timeout: 5000 });
    await screenshot(browser, "date-calendar");
    await (await browser.$('button[aria-label="20 Oct 2025"]')).click();
    assert.equal(await (await byId(browser, "field-date")).getValue(), "20 Oct 2025");
    await screenshot(browser, "metadata-filled");

    await (await byId(browser, "tab-statistics")).click();
    await (await byId(browser, "add-statistic")).click();
    await fill(browser, "stat-id", "plots-disrupted");
    await fill(browser, "stat-label", "Late-stage attack plots disrupted by MI5 and the police");
    await fill(browser, "stat-value", "19");
    await fill(browser, "stat-display", "19");
    await fill(browser, "stat-period", "since the start of 2020");
    await fill(browser, "stat-source", "MI5 Director General, annual threat update");
    await screenshot(browser, "statistic-added");

    await (await byId(browser, "tab-links")).click();
    await (await byId(browser, "add-link")).click();
    await fill(browser, "link-id", "ncsc");
    await fill(browser, "link-title", "NCSC Board Toolkit");
    await fill(browser, "link-url", "https://www.ncsc.gov.uk/collection/board-toolkit");
    await screenshot(browser, "link-added");

    await (await byId(browser, "tab-sections")).click();
    await (await browser.$("#new-section-kind")).selectByAttribute("value", "statistics");
    await (await byId(browser, "add-section")).click();
    const kinds = async () => {
      const out = [];
      for (const row of await browser.$$('[data-testid="section-row"]')) out.push(await row.getAttribute("data-kind"));
      return out;
    };
    const before = await kinds();
    assert.deepEqual(before, ["summary", "statistics"]);
    await screenshot(browser, "section-added");
    await (await browser.$$('[data-testid="section-down"]'))[0].click();
    await browser.waitUntil(async () => (await kinds())[0] === "statistics", { timeout: 5000, timeoutMsg: "the sections did not move" });
    await screenshot(browser, "sections-reordered");

    const saved = await byId(browser, "save-state");
    await browser.waitUntil(async () => (await saved.getText()).includes("Saved"), { timeout: 20000, timeoutMsg: "never saved" });
    await waitForPreview(browser, { after: firstBuild });
    await screenshot(browser, "preview-updated");

    const toml = fs.readFileSync(path.join(library, "q1-threat-briefing-for-the-board", "pack.toml"), "utf8");
    assert.match(toml, /marking = "TLP:GREEN"/);
    assert.match(toml, /date = 2025-10-20/);
    assert.match(toml, /id = "plots-disrupted"/);
    assert.match(toml, /url = "https:\/\/www\.ncsc\.gov\.uk\/collection\/board-toolkit"/);
    assert.ok(toml.indexOf('kind = "statistics"') < toml.indexOf('kind = "summary"'), "the new order is saved");

    if (fs.existsSync(savePath)) fs.unlinkSync(savePath);
    await (await byId(browser, "export")).click();
    await browser.waitUntil(async () => fs.existsSync(savePath), { timeout: 20000, timeoutMsg: "no PDF was exported" });
    await screenshot(browser, "exported");
    const text = execFileSync("pdftotext", [savePath, "-"], { encoding: "utf8" });
    assert.match(text, /Late-stage attack plots disrupted/);
    assert.match(text, /TLP:GREEN/);
  } finally {
    await browser.deleteSession();
  }
});

test("the webview cannot reach the network", async () => {
  const browser = await start(freshLibrary());
  try {
    await (await byId(browser, "library-path")).waitForDisplayed({ timeout: 15000 });
    const outcome = await browser.executeAsync((done) => {
      fetch("https://example.com/", { cache: "no-store" })
        .then((r) => done(`fetched ${r.status}`))
        .catch((e) => done(`blocked: ${e}`));
    });
    assert.match(String(outcome), /^blocked/, `a remote fetch must be refused by the CSP, got: ${outcome}`);
    const image = await browser.executeAsync((done) => {
      const img = new Image();
      img.onload = () => done("loaded");
      img.onerror = () => done("blocked");
      img.src = "https://example.com/logo.png";
    });
    assert.equal(image, "blocked");
  } finally {
    await browser.deleteSession();
  }
});

/** Exports the open pack through the Export button and returns the PDF's text. */
async function exportText(browser, name) {
  if (fs.existsSync(savePath)) fs.unlinkSync(savePath);
  await (await byId(browser, "export")).click();
  await browser.waitUntil(async () => fs.existsSync(savePath), { timeout: 30000, timeoutMsg: `no PDF was exported (${name})` });
  await screenshot(browser, `exported-${name}`);
  fs.copyFileSync(savePath, path.join(artifacts, `${name}.pdf`));
  return execFileSync("pdftotext", ["-layout", savePath, "-"], { encoding: "utf8" });
}

test("a saved MI5 page becomes a board briefing and a participant handout", async () => {
  const library = freshLibrary();
  const browser = await start(library);
  try {
    await (await byId(browser, "new-pack")).click();
    await fill(browser, "new-pack-title", "MI5 threat update");
    await (await byId(browser, "new-pack-create")).click();
    const firstBuild = await waitForPreview(browser);

    // Import: the harness answers the file dialog with a saved copy of the magazine page.
    await (await byId(browser, "tab-articles")).click();
    await (await byId(browser, "import-article")).click();
    const dialog = await byId(browser, "import-dialog");
    await dialog.waitForDisplayed({ timeout: 20000 });
    const text = await dialog.getText();
    assert.match(text, /MI5 annual threat update/);
    assert.match(text, /35 per cent/, "the rise in state-threat investigations is proposed");
    assert.match(text, /19\b/, "the disrupted plots are proposed");
    await screenshot(browser, "import-dialog");
    await (await byId(browser, "import-confirm")).click();
    await dialog.waitForDisplayed({ reverse: true, timeout: 20000 });
    await waitForPreview(browser, { after: firstBuild });
    await screenshot(browser, "imported");

    const pack = path.join(library, "mi5-threat-update");
    const articles = fs.readdirSync(path.join(pack, "articles"));
    assert.equal(articles.length, 1, `one article file: ${articles}`);
    const toml = fs.readFileSync(path.join(pack, "pack.toml"), "utf8");
    assert.match(toml, /\[\[statistics\]\]/);

    await (await byId(browser, "tab-details")).click();
    await (await browser.$('[data-testid="field-marking"] label[data-marking="TLP:AMBER"]')).click();
    await browser.waitUntil(async () => (await (await byId(browser, "save-state")).getText()).includes("Saved"), { timeout: 20000 });

    const board = await exportText(browser, "board-briefing");
    assert.match(board, /MI5 threat update/);
    assert.match(board, /35\s*(%|per cent)/, "the 35 per cent rise is in the board pack");
    assert.match(board, /TLP:AMBER/);

    const before = await (await byId(browser, "preview")).getAttribute("data-renders");
    await (await byId(browser, "template-select")).selectByAttribute("value", "training-handout");
    const edition = await byId(browser, "edition-select");
    await edition.waitForDisplayed({ timeout: 10000 });
    await edition.selectByAttribute("value", "participant");
    await browser.waitUntil(async () => (await (await byId(browser, "preview")).getAttribute("data-renders")) !== before, { timeout: 30000 });
    await screenshot(browser, "handout-preview");
    const handout = await exportText(browser, "training-handout");
    assert.match(handout, /Key facts/);
    assert.match(handout, /Your notes/);
    assert.match(handout, /TLP:AMBER/);
    assert.doesNotMatch(handout, /Facilitator edition/);
  } finally {
    await browser.deleteSession();
  }
});

test("links in the preview open outside the app, and only web and mail links", async () => {
  const opened = process.env.BRIEFPACK_OPENED_LOG;
  const library = freshLibrary({ withExample: true });
  const browser = await start(library);
  try {
    const open = await browser.$('[data-testid="pack-row"][data-name="mi5"] button.link-button');
    await open.waitForDisplayed({ timeout: 15000 });
    await open.click();
    await waitForPreview(browser);
    await screenshot(browser, "example-pack-open");
    const link = await browser.$('.pdf-link[data-url^="https://"]');
    await link.waitForExist({ timeout: 30000, timeoutMsg: "the preview shows no web links" });
    const url = await link.getAttribute("data-url");
    if (fs.existsSync(opened)) fs.unlinkSync(opened);
    await link.scrollIntoView({ block: "center" });
    await screenshot(browser, "preview-link");
    await link.click();
    await browser.waitUntil(() => fs.existsSync(opened) && fs.readFileSync(opened, "utf8").includes(url), {
      timeout: 10000,
      timeoutMsg: `${url} was not handed to the system opener`,
    });
    assert.equal(await browser.execute(() => window.location.protocol + window.location.host), "tauri:localhost", "the window did not navigate");
    assert.ok(await (await byId(browser, "preview")).isDisplayed(), "the editor is still showing");

    // Other schemes are refused by the opener's capability scope, even when asked directly.
    for (const target of ["file:///etc/passwd", "javascript:alert(1)"]) {
      const outcome = await browser.executeAsync((u, done) => {
        window.__TAURI_INTERNALS__.invoke("plugin:opener|open_url", { url: u }).then(
          () => done("opened"),
          (e) => done(`refused: ${e}`),
        );
      }, target);
      assert.match(String(outcome), /^refused/, `${target}: ${outcome}`);
    }
    const log = fs.readFileSync(opened, "utf8");
    assert.doesNotMatch(log, /file:|javascript:/);
  } finally {
    await browser.deleteSession();
  }
});
