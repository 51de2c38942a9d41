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
  // Now and then the app cannot reach the X server at start-up (GTK fails to
  // initialise; seen once under Xvfb on the 2-core machine) and WebKitWebDriver
  // then waits for a window that never comes: start it again rather than fail a
  // test that never began.
  for (let attempt = 1; ; attempt += 1) {
    try {
      const browser = await remote({
        hostname: "127.0.0.1",
        port: 4444,
        logLevel: "error",
        connectionRetryTimeout: 90_000,
        connectionRetryCount: 0,
        capabilities: { "tauri:options": { application: app, args: [library] } },
      });
      await browser.setTimeout({ implicit: 0 });
      return browser;
    } catch (e) {
      if (attempt === 3) throw e;
      console.error(`# the app did not start (attempt ${attempt}: ${e.message}); starting it again`);
    }
  }
}

let shot = 0;
async function screenshot(browser, name) {
  shot += 1;
  // The window is painted after the DOM changes: two animation frames later it shows them.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))).catch(() => {});
  await browser.saveScreenshot(path.join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`));
}

/** A screenshot of the window as a test failed, to see why. */
/** Starts the app on `library`, runs `steps` with it, saves a screenshot if they fail, and always closes it. */
async function withApp(library, steps) {
  const browser = await start(library);
  try {
    await steps(browser);
  } catch (e) {
    await screenshot(browser, "FAILED").catch(() => {});
    throw e;
  } finally {
    await browser.deleteSession();
  }
}

const byId = (browser, id) => browser.$(`[data-testid="${id}"]`);

async function fill(browser, id, value) {
  const el = await byId(browser, id);
  await el.waitForDisplayed({ timeout: 10000 });
  await el.click();
  await el.clearValue();
  await el.setValue(value);
}

/** The text of the element with test id `id` now ("" while there is none). */
async function textOf(browser, id) {
  return browser.execute((testid) => document.querySelector(`[data-testid="${testid}"]`)?.textContent?.trim() ?? "", id);
}

/** Waits until the header says the pack is saved. */
async function waitForSaved(browser, timeoutMsg = "never saved") {
  const state = await byId(browser, "save-state");
  await browser.waitUntil(async () => (await state.getText()) === "Saved", { timeout: 20000, timeoutMsg });
}

/** Waits until `file` exists and its text passes `test`; returns the text. */
async function waitForFile(browser, file, test, timeoutMsg) {
  let text = "";
  await browser.waitUntil(
    () => {
      text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      return test(text);
    },
    { timeout: 20000, timeoutMsg: `${timeoutMsg}: ${file} holds\n${text}` },
  );
  return text;
}

/** Opens the pack in folder `name` from the library. */
async function openPack(browser, name) {
  const open = await browser.$(`[data-testid="pack-row"][data-name="${name}"] button.link-button`);
  await open.waitForDisplayed({ timeout: 15000 });
  await open.click();
  await (await byId(browser, "tab-details")).waitForDisplayed({ timeout: 15000 });
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
  await withApp(library, async (browser) => {
    const rows = await browser.$$('[data-testid="pack-row"]');
    await browser.waitUntil(async () => (await browser.$$('[data-testid="pack-row"]')).length === 2, { timeout: 15000 });
    await screenshot(browser, "library-with-broken-pack");
    const broken = await browser.$('[data-testid="pack-row"][data-name="broken"]');
    const text = await broken.getText();
    assert.match(text, /pack\.toml:2/, `the broken pack row says where the problem is: ${text}`);
    const good = await browser.$('[data-testid="pack-row"][data-name="mi5"]');
    assert.match(await good.getText(), /State threats and terrorism/);
    assert.ok(rows !== undefined);
  });
});

test("an empty library offers the example pack", async () => {
  const library = freshLibrary();
  await withApp(library, async (browser) => {
    const add = await byId(browser, "add-example");
    await add.waitForDisplayed({ timeout: 15000 });
    await screenshot(browser, "library-first-run");
    await add.click();
    const row = await browser.$('[data-testid="pack-row"]');
    await row.waitForDisplayed({ timeout: 15000, timeoutMsg: "the example pack did not appear" });
    assert.match(await row.getText(), /State threats and terrorism/);
    const name = await row.getAttribute("data-name");
    assert.ok(fs.existsSync(path.join(library, name, "pack.toml")), `the example is a pack folder in the library: ${name}`);
  });
});

test("a person creates a pack, fills it, sees the preview and exports a PDF", async () => {
  const library = freshLibrary();
  await withApp(library, async (browser) => {
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
    await fill(browser, "stat-label", "Late-stage attack plots disrupted by MI5 and the police");
    await fill(browser, "stat-value", "19");
    await fill(browser, "stat-display", "19");
    await fill(browser, "stat-period", "since the start of 2020");
    await fill(browser, "stat-source", "MI5 Director General, annual threat update");
    // A date that is not a date stays in its field, says why, and holds the save, even across a tab switch.
    await fill(browser, "stat-as-of", "31/02/2025");
    await (await byId(browser, "tab-links")).click();
    await (await byId(browser, "tab-statistics")).click();
    const asOf = await byId(browser, "stat-as-of");
    await asOf.waitForDisplayed({ timeout: 5000 });
    assert.equal(await asOf.getValue(), "31/02/2025");
    assert.match(await textOf(browser, "field-message"), /As of must be a date like 20 Oct 2025/);
    assert.equal(await textOf(browser, "save-state"), "Not saved until 1 field is fixed");
    await screenshot(browser, "invalid-date-kept");
    await fill(browser, "stat-as-of", "16/10/2025");
    await browser.waitUntil(async () => (await textOf(browser, "save-state")) !== "Not saved until 1 field is fixed", { timeout: 5000 });
    await screenshot(browser, "statistic-added");

    await (await byId(browser, "tab-links")).click();
    await (await byId(browser, "add-link")).click();
    await fill(browser, "link-title", "NCSC Board Toolkit");
    await fill(browser, "link-url", "https://www.ncsc.gov.uk/collection/board-toolkit");
    await screenshot(browser, "link-added");

    await (await byId(browser, "tab-sections")).click();
    const kinds = async () => {
      const out = [];
      for (const row of await browser.$$('[data-testid="section-row"]')) out.push(await row.getAttribute("data-kind"));
      return out;
    };
    // A new board briefing starts with the sections its template shows.
    assert.deepEqual(await kinds(), ["summary", "statistics", "recommendations", "links"]);
    await (await browser.$$('[data-testid="section-down"]'))[0].click();
    await browser.waitUntil(async () => (await kinds())[0] === "statistics", { timeout: 5000, timeoutMsg: "the sections did not move" });
    // Alt+↓ on a section's heading moves it and leaves the focus on that heading.
    await (await browser.$("#f-sections-2-title")).click();
    await browser.keys(["Alt", "ArrowDown"]);
    await browser.waitUntil(async () => (await kinds()).join() === "statistics,summary,links,recommendations", { timeout: 5000, timeoutMsg: "Alt+↓ did not move the section" });
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.id)) === "f-sections-3-title", {
      timeout: 5000,
      timeoutMsg: "the moved section lost the focus",
    });
    await browser.keys(["Alt", "ArrowUp"]);
    await browser.waitUntil(async () => (await kinds()).join() === "statistics,summary,recommendations,links", { timeout: 5000, timeoutMsg: "Alt+↑ did not move the section back" });
    await screenshot(browser, "sections-reordered");

    await waitForSaved(browser);
    await waitForPreview(browser, { after: firstBuild });
    await screenshot(browser, "preview-updated");

    const toml = fs.readFileSync(path.join(library, "q1-threat-briefing-for-the-board", "pack.toml"), "utf8");
    assert.match(toml, /marking = "TLP:GREEN"/);
    assert.match(toml, /date = 2025-10-20/);
    assert.match(toml, /as_of = 2025-10-16/);
    // Ids come from the label and title; nobody had to type one.
    assert.match(toml, /id = "late-stage-attack-plots-disrupted-by-mi5"/);
    assert.match(toml, /id = "ncsc-board-toolkit"/);
    assert.match(toml, /url = "https:\/\/www\.ncsc\.gov\.uk\/collection\/board-toolkit"/);
    assert.ok(toml.indexOf('kind = "statistics"') < toml.indexOf('kind = "summary"'), "the new order is saved");

    if (fs.existsSync(savePath)) fs.unlinkSync(savePath);
    await (await byId(browser, "export")).click();
    await browser.waitUntil(async () => fs.existsSync(savePath), { timeout: 20000, timeoutMsg: "no PDF was exported" });
    await screenshot(browser, "exported");
    const text = execFileSync("pdftotext", [savePath, "-"], { encoding: "utf8" });
    assert.match(text, /Late-stage attack plots disrupted/);
    assert.match(text, /TLP:GREEN/);
  });
});

test("the webview cannot reach the network", async () => {
  await withApp(freshLibrary(), async (browser) => {
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
  });
});

/** Creates a pack titled `title`, waits for its first preview and opens the Import dialog on the saved page. */
async function newPackImporting(browser, title) {
  await (await byId(browser, "new-pack")).click();
  await fill(browser, "new-pack-title", title);
  await (await byId(browser, "new-pack-create")).click();
  const firstBuild = await waitForPreview(browser);
  await (await byId(browser, "tab-articles")).click();
  await (await byId(browser, "import-article")).click();
  const dialog = await byId(browser, "import-dialog");
  await dialog.waitForDisplayed({ timeout: 20000 });
  return { firstBuild, dialog };
}

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
  await withApp(library, async (browser) => {
    // Import: the harness answers the file dialog with a saved copy of the magazine page.
    const { firstBuild, dialog } = await newPackImporting(browser, "MI5 threat update");
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
    await waitForSaved(browser);

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
    // Previewing and exporting another template does not change the pack.
    assert.match(fs.readFileSync(path.join(pack, "pack.toml"), "utf8"), /template = "board-briefing"/);
    assert.equal(await textOf(browser, "save-state"), "Saved");
  });
});

test("the accessible and archival switches change the exported PDF and undo one at a time", async () => {
  const library = freshLibrary({ withExample: true });
  await withApp(library, async (browser) => {
    await openPack(browser, "mi5");
    const first = await waitForPreview(browser);
    await (await byId(browser, "export-accessible")).click();
    // The preview follows the switch: the accessible style sets the pack on more pages.
    await waitForPreview(browser, { after: first });
    await (await byId(browser, "export-archival")).click();
    await waitForSaved(browser);
    await screenshot(browser, "export-switches");
    const pack = path.join(library, "mi5");
    const toml = fs.readFileSync(path.join(pack, "pack.toml"), "utf8");
    assert.match(toml, /^accessible = true$/m);
    assert.match(toml, /^archival = true$/m);

    const text = await exportText(browser, "accessible-archival");
    assert.match(text, /TLP:AMBER/);
    const fonts = execFileSync("pdffonts", [savePath], { encoding: "utf8" });
    assert.match(fonts, /NotoSans-Regular/, "set in the bundled sans-serif");
    assert.doesNotMatch(fonts, /NotoSerif/);
    const info = execFileSync("pdfinfo", [savePath], { encoding: "utf8" });
    assert.match(info, /Tagged:\s+yes/);
    // Objects are in compressed object streams: qpdf writes them out plainly.
    const plain = path.join(artifacts, "accessible-archival-plain.pdf");
    execFileSync("qpdf", ["--qdf", "--object-streams=disable", savePath, plain]);
    const bytes = fs.readFileSync(plain, "latin1");
    assert.match(bytes, /<pdfaid:part>2<\/pdfaid:part>/, "the PDF/A claim is in the XMP");
    assert.match(bytes, /\/OutputIntents/);
    assert.match(bytes, /\/StructTreeRoot/);

    // Each switch is its own undo step.
    await browser.keys(["Control", "z"]);
    await waitForSaved(browser);
    assert.doesNotMatch(fs.readFileSync(path.join(pack, "pack.toml"), "utf8"), /^archival/m);
    assert.match(fs.readFileSync(path.join(pack, "pack.toml"), "utf8"), /^accessible = true$/m);
    assert.equal(await (await byId(browser, "export-archival")).isSelected(), false);
  });
});

test("links in the preview open outside the app, and only web and mail links", async () => {
  const opened = process.env.BRIEFPACK_OPENED_LOG;
  const library = freshLibrary({ withExample: true });
  await withApp(library, async (browser) => {
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
  });
});

test("a new pack, the seed page imported with every proposal, a bottom line and a recommendation make a complete board briefing", async () => {
  const library = freshLibrary();
  await withApp(library, async (browser) => {
    const { firstBuild, dialog } = await newPackImporting(browser, "Board briefing from the seed");
    for (const box of [...(await browser.$$('[data-testid="import-statistic"]')), ...(await browser.$$('[data-testid="import-organisation"]'))]) {
      assert.ok(await box.isSelected(), "every proposal starts accepted");
    }
    await (await byId(browser, "import-confirm")).click();
    await dialog.waitForDisplayed({ reverse: true, timeout: 20000 });
    await waitForPreview(browser, { after: firstBuild });

    await (await byId(browser, "tab-summary")).click();
    const summary = await browser.$("#f-meta-summary");
    assert.equal(await summary.getValue(), "", "a new pack's bottom line is empty (the prompt is only a placeholder)");
    assert.ok((await summary.getAttribute("placeholder")).length > 0);
    await summary.setValue("MI5 reports more state-threat work than ever. We ask the board to note the figures.");

    await (await byId(browser, "tab-recommendations")).click();
    await (await byId(browser, "add-recommendation")).click();
    const recommendation = await browser.$("#f-recommendations-0-text");
    await browser.waitUntil(async () => (await browser.execute(() => document.activeElement?.id)) === "f-recommendations-0-text", {
      timeout: 5000,
      timeoutMsg: "Add recommendation did not focus the new recommendation",
    });
    await recommendation.setValue("Brief all staff who travel on the NPSA Think Before You Link guidance by March.");
    await waitForSaved(browser);
    await screenshot(browser, "seed-pack-complete");

    const text = await exportText(browser, "seed-board-briefing");
    assert.match(text, /\b19\b/, "the disrupted plots");
    assert.match(text, /35%/, "the rise in state-threat investigations");
    assert.match(text, /Sources/);
    assert.match(text, /1\.\s+Professional Security Magazine/, "the figures' numbered source");
    for (const title of ["National Protective Security Authority", "National Cyber Security Centre", "MI5 \\(the Security Service\\)"]) {
      assert.match(text, new RegExp(title), `the guidance link ${title}`);
    }
    assert.match(text, /Brief all staff who travel on the NPSA Think Before You Link guidance by March\./);
    assert.match(text, /MI5 reports more state-threat work than ever/);
  });
});

/** Rewrites pack.toml's `key = "…"` line as another program would. */
function editOnDisk(file, key, value) {
  const text = fs.readFileSync(file, "utf8");
  const next = text.replace(new RegExp(`^${key} = ".*"$`, "m"), `${key} = "${value}"`);
  assert.notEqual(next, text, `${key} is in ${file}`);
  fs.writeFileSync(file, next);
}

/** Types `title` as the pack's title in the app, after another program changed the pack, and waits for the banner. */
async function editIntoConflict(browser, file, audience, title) {
  await waitForSaved(browser, "the app had unsaved edits before the other program wrote");
  editOnDisk(file, "audience", audience);
  await (await byId(browser, "tab-details")).click();
  await fill(browser, "field-title", title);
  const banner = await byId(browser, "conflict-banner");
  await banner.waitForDisplayed({ timeout: 20000, timeoutMsg: "no conflict banner after the pack changed on disk" });
  await browser.waitUntil(async () => (await textOf(browser, "save-state")) === "Not saved — changed on disk", { timeout: 5000 });
  return banner;
}

test("another program's changes: load theirs (then undo), keep mine, save mine as a copy", async () => {
  const library = freshLibrary({ withExample: true });
  const file = path.join(library, "mi5", "pack.toml");
  await withApp(library, async (browser) => {
    await openPack(browser, "mi5");
    await waitForPreview(browser);

    // Load theirs, then Ctrl+Z brings the in-app edit back.
    await editIntoConflict(browser, file, "Audit committee", "My title");
    await screenshot(browser, "conflict-banner");
    await (await byId(browser, "load-theirs")).click();
    await (await byId(browser, "conflict-banner")).waitForDisplayed({ reverse: true, timeout: 20000 });
    const title = await byId(browser, "field-title");
    assert.equal(await title.getValue(), "State threats and terrorism: MI5 annual threat update");
    assert.equal(await (await browser.$("#f-meta-audience")).getValue(), "Audit committee");
    await (await byId(browser, "tab-summary")).click();
    await browser.keys(["Control", "z"]);
    await (await byId(browser, "tab-details")).click();
    await browser.waitUntil(async () => (await (await byId(browser, "field-title")).getValue()) === "My title", { timeout: 5000, timeoutMsg: "Ctrl+Z did not bring the in-app edit back" });
    await waitForFile(browser, file, (t) => t.includes('title = "My title"'), "the undone edit was not saved");

    // Keep mine: says what it replaces, then the file has the app's value.
    await editIntoConflict(browser, file, "Second committee", "Mine again");
    await (await byId(browser, "keep-mine")).click();
    const keep = await byId(browser, "keep-mine-dialog");
    await keep.waitForDisplayed({ timeout: 10000 });
    const replaced = await (await byId(browser, "replaced")).getText();
    assert.match(replaced, /audience/, `the dialog names what is replaced: ${replaced}`);
    await screenshot(browser, "keep-mine-dialog");
    await (await keep.$('[data-testid="confirm-ok"]')).click();
    await (await byId(browser, "conflict-banner")).waitForDisplayed({ reverse: true, timeout: 20000 });
    const kept = await waitForFile(browser, file, (t) => t.includes('title = "Mine again"'), "keep mine did not write the app's version");
    assert.match(kept, /audience = "Board risk committee"/);
    assert.doesNotMatch(kept, /Second committee/);

    // Save mine as a copy: a new pack holds the app's version; the original stays as the other program wrote it.
    await editIntoConflict(browser, file, "Third committee", "Copy of mine");
    await (await byId(browser, "save-copy")).click();
    await browser.waitUntil(async () => (await textOf(browser, "pack-title")) === "Copy of mine (my copy)", {
      timeout: 20000,
      timeoutMsg: "the copy did not open in the editor",
    });
    await (await browser.$("//*[@data-testid='toast'][contains(., 'Your version is now the pack')]")).waitForDisplayed({ timeout: 10000 });
    const copies = fs.readdirSync(library).filter((n) => n !== "mi5" && !n.startsWith("."));
    assert.equal(copies.length, 1, `one copy folder: ${copies}`);
    const copy = fs.readFileSync(path.join(library, copies[0], "pack.toml"), "utf8");
    assert.match(copy, /title = "Copy of mine \(my copy\)"/);
    assert.match(copy, /audience = "Board risk committee"/);
    const original = fs.readFileSync(file, "utf8");
    assert.match(original, /audience = "Third committee"/);
    assert.match(original, /title = "Mine again"/);
    await screenshot(browser, "saved-as-copy");
  });
});

test("a deleted pack comes back from the trash", async () => {
  const library = freshLibrary({ withExample: true });
  await withApp(library, async (browser) => {
    const row = await browser.$('[data-testid="pack-row"][data-name="mi5"]');
    await row.waitForDisplayed({ timeout: 15000 });
    await (await row.$("button=Delete")).click();
    await row.waitForExist({ reverse: true, timeout: 10000, timeoutMsg: "the deleted pack is still listed" });
    assert.ok(!fs.existsSync(path.join(library, "mi5")));
    await browser.waitUntil(async () => (await textOf(browser, "trash-count")) === "1", { timeout: 10000 });
    await (await byId(browser, "show-trash")).click();
    const trashed = await byId(browser, "trash-row");
    await trashed.waitForDisplayed({ timeout: 10000 });
    assert.match(await trashed.getText(), /State threats and terrorism/);
    await screenshot(browser, "trash");
    await (await trashed.$('[data-testid="restore"]')).click();
    await (await byId(browser, "trash-empty")).waitForDisplayed({ timeout: 10000 });
    await (await byId(browser, "trash-back")).click();
    await (await browser.$('[data-testid="pack-row"][data-name="mi5"]')).waitForDisplayed({ timeout: 10000, timeoutMsg: "the restored pack is not listed" });
    assert.ok(fs.existsSync(path.join(library, "mi5", "pack.toml")));
  });
});

/** What the window hears when it regains focus (no window manager runs under Xvfb to give it focus). */
async function focusWindow(browser) {
  await browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event: "tauri://focus", payload: null }).then(
      () => done(),
      () => done(),
    );
  });
}

test("coming back to the window shows what other programs changed", async () => {
  const library = freshLibrary({ withExample: true });
  await withApp(library, async (browser) => {
    // The library lists a pack another program added.
    await (await browser.$('[data-testid="pack-row"][data-name="mi5"]')).waitForDisplayed({ timeout: 15000 });
    copyDir(example, path.join(library, "added-elsewhere"));
    await browser.waitUntil(
      async () => {
        await focusWindow(browser);
        return (await browser.$$('[data-testid="pack-row"]')).length === 2;
      },
      { timeout: 15000, timeoutMsg: "the library did not show the pack added on disk" },
    );

    // An open pack with nothing unsaved shows the version on disk, and says so.
    await openPack(browser, "mi5");
    await waitForPreview(browser);
    await waitForSaved(browser);
    editOnDisk(path.join(library, "mi5", "pack.toml"), "audience", "Changed in another program");
    const audience = await browser.$("#f-meta-audience");
    await browser.waitUntil(
      async () => {
        await focusWindow(browser);
        return (await audience.getValue()) === "Changed in another program";
      },
      { timeout: 15000, timeoutMsg: "focus did not bring in the change on disk" },
    );
    await (await browser.$("//*[@data-testid='toast'][contains(., 'Another program changed this pack on disk')]")).waitForDisplayed({ timeout: 5000 });
    assert.equal(await (await byId(browser, "conflict-banner")).isExisting(), false);
    await screenshot(browser, "reloaded-on-focus");
  });
});

test("Distribute issues three named copies with progress, the Distribution tab logs them and traces a found one", async () => {
  const library = freshLibrary({ withExample: true });
  const board = ["Jane Smith", "Ravi Patel", "Aoife O’Brien"];
  const opened = process.env.BRIEFPACK_OPENED_LOG;
  fs.rmSync(opened, { force: true });
  await withApp(library, async (browser) => {
    await openPack(browser, "mi5");
    await waitForPreview(browser);
    // The recipients are pack data: typed into the Distribution tab and saved like any edit.
    await (await byId(browser, "tab-distribution")).click();
    for (const [i, name] of board.entries()) {
      await (await byId(browser, "add-recipient")).click();
      const field = await browser.$(`#f-recipients-${i}-name`);
      await field.waitForDisplayed({ timeout: 10000 });
      await field.setValue(name);
    }
    await waitForSaved(browser, "the recipients were never saved");
    const toml = fs.readFileSync(path.join(library, "mi5", "pack.toml"), "utf8");
    assert.match(toml, /\[\[recipients\]\]\nname = "Aoife O’Brien"/, toml);
    await (await byId(browser, "log-empty")).waitForDisplayed({ timeout: 10000 });
    await screenshot(browser, "distribution-tab-recipients");

    await (await byId(browser, "distribute")).click();
    const dialog = await byId(browser, "distribute-dialog");
    await dialog.waitForDisplayed({ timeout: 10000 });
    const confirm = await byId(browser, "distribute-confirm");
    await browser.waitUntil(async () => (await confirm.isEnabled()) && (await confirm.getText()).includes("3 copies"), { timeout: 15000, timeoutMsg: "the dialog never offered three copies" });
    assert.equal(await textOf(browser, "distribute-names"), board.join(""));
    await screenshot(browser, "distribute-dialog");
    await confirm.click();
    await browser.waitUntil(async () => (await textOf(browser, "distribute-status")).startsWith("Done: 3 copies"), { timeout: 60000, timeoutMsg: "the distribution never finished" });
    const states = await browser.execute(() => [...document.querySelectorAll('[data-testid="copy-row"]')].map((r) => r.dataset.state));
    assert.deepEqual(states, ["issued", "issued", "issued"]);
    assert.equal(await (await byId(browser, "distribute-progress")).getAttribute("value"), "3");
    await screenshot(browser, "distribute-done");

    // On disk: three PDFs, each naming its recipient on every page.
    const folder = path.join(library, "mi5", "out", "distribution-2025-10-20");
    const files = fs.readdirSync(folder).filter((f) => f.endsWith(".pdf")).sort();
    assert.equal(files.length, 3, `${files}`);
    for (const [i, name] of board.entries()) {
      assert.match(files[i], new RegExp(`copy-0${i + 1}-`), files[i]);
      const text = execFileSync("pdftotext", [path.join(folder, files[i]), "-"], { encoding: "utf8" });
      const pages = text.split("\f").filter((p) => p.trim() !== "");
      assert.ok(pages.length >= 4, `${files[i]} has ${pages.length} pages`);
      const line = `Copy ${i + 1} of 3 · Issued to ${name} · 20 Oct 2025`.replace(/\s+/g, "");
      pages.forEach((page, n) => assert.ok(page.replace(/\s+/g, "").includes(line), `page ${n + 1} of ${files[i]} lacks "Issued to ${name}":\n${page}`));
    }
    // Open folder hands the folder to the system's file manager.
    await (await byId(browser, "distribute-open-folder")).click();
    await waitForFile(browser, opened, (t) => t.includes(folder), "Open folder never opened the distribution folder");
    await (await byId(browser, "distribute-close")).click();

    // The Distribution tab lists who has which copy.
    await browser.waitUntil(async () => (await browser.$$('[data-testid="log-row"]')).length === 3, { timeout: 15000, timeoutMsg: "the log never listed three copies" });
    const logText = await textOf(browser, "distribution-log");
    for (const name of board) assert.ok(logText.includes(name), `the log lacks ${name}: ${logText}`);

    // A copy found elsewhere is traced through Trace a file… (the dialog's answer is BRIEFPACK_TEST_TRACE_PATH).
    fs.copyFileSync(path.join(folder, files[1]), process.env.BRIEFPACK_TEST_TRACE_PATH);
    await (await byId(browser, "trace-file")).click();
    await browser.waitUntil(async () => (await textOf(browser, "trace-result")).includes("is Ravi Patel’s copy"), { timeout: 15000, timeoutMsg: "the found copy was never traced" });
    assert.match(await textOf(browser, "trace-result"), /Copy 2 of 3 of “State threats and terrorism: MI5 annual threat update”, issued to Ravi Patel/);
    await screenshot(browser, "distribution-tab-log-and-trace");
  });
});

test("the House style screen previews an edit, picks a logo and saves library.toml keeping its comments", async () => {
  const library = fs.mkdtempSync(path.join(os.tmpdir(), "briefpack-e2e-"));
  copyDir(process.env.BRIEFPACK_HOUSE_LIBRARY, library);
  const file = path.join(library, "library.toml");
  const before = fs.readFileSync(file, "utf8");
  await withApp(library, async (browser) => {
    await (await byId(browser, "show-house-style")).waitForDisplayed({ timeout: 15000 });
    await (await byId(browser, "show-house-style")).click();
    const organisation = await byId(browser, "house-organisation");
    await organisation.waitForDisplayed({ timeout: 15000 });
    await browser.waitUntil(async () => (await organisation.getValue()) === "Northshire County Council", { timeout: 15000 });
    const preview = await byId(browser, "house-preview");
    await browser.waitUntil(async () => Number(await preview.getAttribute("data-pages")) === 2, { timeout: 30000, timeoutMsg: "the preview never showed the cover and the next page" });
    await screenshot(browser, "house-style");

    // A colour that is not one: the core's words under the field, and Save stays off.
    await fill(browser, "house-accent", "teal");
    await browser.waitUntil(async () => (await browser.$("#accent-error").isExisting()), { timeout: 15000, timeoutMsg: "the bad colour was never reported at its field" });
    assert.match(await (await browser.$("#accent-error")).getText(), /must be a colour like "#1F3A5F"/);
    assert.equal(await (await byId(browser, "house-save")).isEnabled(), false);
    await screenshot(browser, "house-style-bad-colour");
    await fill(browser, "house-accent", "#7A1F2B");
    await fill(browser, "house-organisation", "Southshire Borough");
    // Choose logo… copies the picked image (BRIEFPACK_TEST_LOGO_PATH) into the library.
    await (await byId(browser, "house-choose-logo")).click();
    await browser.waitUntil(async () => (await textOf(browser, "house-logo-file")) === "new-crest.png", { timeout: 15000, timeoutMsg: "the picked logo was never named" });
    assert.ok(fs.existsSync(path.join(library, "new-crest.png")));
    const save = await byId(browser, "house-save");
    await browser.waitUntil(() => save.isEnabled(), { timeout: 15000, timeoutMsg: "Save never became available" });
    await save.click();
    const after = await waitForFile(browser, file, (t) => t.includes("Southshire Borough"), "library.toml was never saved");
    assert.equal(
      after,
      before.replace('organisation = "Northshire County Council"', 'organisation = "Southshire Borough"').replace("#B5472B", "#7A1F2B").replace('file = "logo.png"', 'file = "new-crest.png"'),
      "only the edited values changed; comments stay",
    );
    await screenshot(browser, "house-style-saved");
  });
  // Every pack of the library is built in it: the CLI's build says so.
  const cli = path.join(path.dirname(app), "briefpack");
  const out = path.join(library, "q.pdf");
  execFileSync(cli, ["build", path.join(library, "quarterly"), "-o", out]);
  const text = execFileSync("pdftotext", [out, "-"], { encoding: "utf8" });
  assert.ok(text.split("\f")[0].includes("Southshire Borough"), text);
});
