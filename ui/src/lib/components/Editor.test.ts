import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Editor from "./Editor.svelte";
import Toasts from "./Toasts.svelte";
import { EditorStore } from "../editor.svelte";
import { toasts } from "../toasts.svelte";
import { diagnostic, opened, preview, saved, templates } from "../testing/fixtures";
import type { Diagnostic } from "../../api";

// pdf.js does not run in jsdom: a two-page PDF drawn as empty canvases instead,
// with the pages drawn recorded in `drawn`.
const drawn = vi.hoisted(() => [] as number[]);
vi.mock("../pdf", () => ({
  loadPdf: async () => ({
    pages: 2,
    firstPageSize: async (width: number) => ({ width, height: Math.round(width * 1.414) }),
    render: async (n: number) => {
      drawn.push(n);
      const canvas = document.createElement("canvas");
      canvas.dataset.page = String(n);
      return canvas;
    },
    close: () => {},
  }),
}));

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup(options: { diagnostics?: Diagnostic[]; answers?: Record<string, (args: Record<string, unknown>) => unknown> } = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (options.answers?.[cmd]) return options.answers[cmd](args);
    switch (cmd) {
      case "list_templates":
        return templates;
      case "render_preview":
        return preview(84);
      case "save_pack":
        return saved("rev-2");
      default:
        return null;
    }
  });
  const editor = new EditorStore(opened(undefined, options.diagnostics ?? []), { autosaveMs: 60_000 });
  void editor.start();
  const onBack = vi.fn();
  render(Editor, { editor, onBack });
  render(Toasts);
  return { editor, calls, onBack };
}

describe("editor header and preview", () => {
  it("shows the title, the save state, the build time and the rendered pages", async () => {
    const { editor } = setup();
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("State threats and terrorism");
    expect(screen.getByTestId("save-state").textContent).toBe("Saved");
    const previewBox = screen.getByTestId("preview");
    await waitFor(() => expect(previewBox.dataset.pages).toBe("2"));
    expect(previewBox.dataset.buildMs).toBe("84");
    expect(screen.getByTestId("preview-status").textContent).toContain("Built in 84 ms");
    expect(previewBox.querySelectorAll("canvas")).toHaveLength(2);

    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "New title" } });
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
    expect(editor.doc.meta.title).toBe("New title");
  });

  it("redraws only the preview pages that changed", async () => {
    const builds = [["page-1", "page-2"], ["page-1", "page-2-edited"], ["page-1", "page-2-edited"]];
    let build = 0;
    setup({ answers: { render_preview: () => preview(84, [], builds[Math.min(build++, builds.length - 1)]) } });
    const previewBox = screen.getByTestId("preview");
    await waitFor(() => expect(previewBox.dataset.renders).toBe("1"));
    drawn.length = 0;
    const title = screen.getByTestId("field-title");
    await fireEvent.input(title, { target: { value: "Second title" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(previewBox.dataset.renders).toBe("2"));
    expect(drawn).toEqual([2]);
    await fireEvent.input(title, { target: { value: "Third title" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(previewBox.dataset.renders).toBe("3"));
    expect(drawn).toEqual([2]);
    expect(previewBox.querySelectorAll("canvas")).toHaveLength(2);
  });

  it("undoes with Ctrl+Z and redoes with Ctrl+Shift+Z and Ctrl+Y", async () => {
    const { editor } = setup();
    const title = screen.getByTestId("field-title") as HTMLInputElement;
    await fireEvent.input(title, { target: { value: "Changed" } });
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect(title.value).toBe("State threats and terrorism");
    await fireEvent.keyDown(window, { key: "Z", ctrlKey: true, shiftKey: true });
    expect(title.value).toBe("Changed");
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    await fireEvent.keyDown(window, { key: "y", ctrlKey: true });
    expect(editor.doc.meta.title).toBe("Changed");
  });

  it("saves at once with Ctrl+S, then refreshes the preview", async () => {
    const { calls } = setup();
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "Saved now" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toBe("Saved"));
    expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "render_preview")).toHaveLength(2));
  });

  it("shows the edition select only for a template with editions", async () => {
    const { editor } = setup();
    await waitFor(() => expect(editor.templates).toHaveLength(2));
    expect(screen.queryByTestId("edition-select")).toBeNull();
    await fireEvent.change(screen.getByTestId("template-select"), { target: { value: "training-handout" } });
    const edition = screen.getByTestId("edition-select") as HTMLSelectElement;
    expect([...edition.options].map((o) => o.value)).toEqual(["participant", "facilitator"]);
    await fireEvent.change(edition, { target: { value: "facilitator" } });
    expect(editor.doc.meta).toMatchObject({ template: "training-handout", edition: "facilitator" });
  });

  it("exports through the save dialog and offers Open and Show in folder", async () => {
    const { calls } = setup({
      answers: {
        suggested_export_name: () => "mi5-threat-update-2025-board-briefing.pdf",
        "plugin:dialog|save": () => "/home/adviser/out.pdf",
        export_pdf: (args) => args.path,
      },
    });
    await fireEvent.click(screen.getByTestId("export"));
    const toast = await screen.findByText("Exported out.pdf");
    const dialog = calls.find((c) => c.cmd === "plugin:dialog|save")!;
    expect(dialog.args.options).toMatchObject({ defaultPath: "mi5-threat-update-2025-board-briefing.pdf", filters: [{ name: "PDF", extensions: ["pdf"] }] });
    expect(calls.find((c) => c.cmd === "export_pdf")!.args).toEqual({ name: "mi5-threat-update-2025", template: "board-briefing", edition: null, path: "/home/adviser/out.pdf" });
    const box = toast.closest("[data-testid=toast]") as HTMLElement;
    await fireEvent.click(within(box).getByRole("button", { name: "Show in folder" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "open_exported")?.args).toEqual({ path: "/home/adviser/out.pdf", reveal: true }));
  });
});

describe("details", () => {
  it("lists the nine markings, each as its coloured chip", async () => {
    const { editor } = setup();
    const picker = screen.getByTestId("field-marking");
    const radios = within(picker).getAllByRole("radio") as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual([
      "TLP:CLEAR",
      "TLP:GREEN",
      "TLP:AMBER",
      "TLP:AMBER+STRICT",
      "TLP:RED",
      "OFFICIAL",
      "OFFICIAL-SENSITIVE",
      "SECRET",
      "TOP SECRET",
    ]);
    expect(radios.find((r) => r.checked)?.value).toBe("TLP:AMBER");
    const chip = (label: string) => within(picker).getByText(label) as HTMLElement;
    expect(chip("TLP:RED").style.color).toBe("rgb(255, 43, 43)");
    expect(chip("TLP:RED").style.backgroundColor).toBe("rgb(0, 0, 0)");
    expect(chip("TLP:AMBER+STRICT").style.color).toBe("rgb(255, 192, 0)");
    expect(chip("TLP:GREEN").style.color).toBe("rgb(51, 255, 0)");
    expect(chip("TLP:CLEAR").style.color).toBe("rgb(255, 255, 255)");
    expect(chip("SECRET").style.backgroundColor).toBe("rgb(228, 231, 235)");
    await fireEvent.click(radios[4]);
    expect(editor.doc.meta.marking).toBe("TLP:RED");
  });

  it("counts the words of the summary as the user types", async () => {
    setup();
    await fireEvent.click(screen.getByTestId("tab-summary"));
    expect(screen.getByTestId("word-count").textContent).toBe("6 words");
    await fireEvent.input(screen.getByLabelText("Bottom line up front (Markdown)"), { target: { value: "**One** two\n\n- three" } });
    expect(screen.getByTestId("word-count").textContent).toBe("3 words");
  });
});

describe("statistics", () => {
  it("validates as the user types, with the message under the field", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    const [id0, id1] = screen.getAllByTestId("stat-id");

    await fireEvent.input(id1, { target: { value: "" } });
    expect(screen.getByText('Give the statistic a short unique id, like "state-threats"')).toBeTruthy();
    expect(id1.getAttribute("aria-invalid")).toBe("true");

    await fireEvent.input(id1, { target: { value: "state-threat-investigations" } });
    const duplicate = screen.getAllByText('Another statistic already uses the id "state-threat-investigations"');
    expect(duplicate).toHaveLength(2);
    expect(id0.getAttribute("aria-describedby")).toContain("f-statistics-0-id-error");

    const value = screen.getAllByTestId("stat-value")[0] as HTMLInputElement;
    await fireEvent.input(value, { target: { value: "3five" } });
    const message = document.getElementById("f-statistics-0-value-error")!;
    expect(message.textContent).toBe("Value must be a number, like 35 or 4.2");
    expect(editor.doc.statistics[0].value).toBe(35);
    await fireEvent.input(value, { target: { value: "42.5" } });
    expect(document.getElementById("f-statistics-0-value-error")).toBeNull();
    expect(editor.doc.statistics[0].value).toBe(42.5);

    const url = document.getElementById("f-statistics-0-source_url") as HTMLInputElement;
    await fireEvent.input(url, { target: { value: "http://www.mi5.gov.uk" } });
    expect(document.getElementById("f-statistics-0-source_url-error")!.textContent).toMatch(/https/);

    const grade = document.getElementById("f-statistics-0-grade") as HTMLInputElement;
    await fireEvent.input(grade, { target: { value: "G9" } });
    expect(document.getElementById("f-statistics-0-grade-error")!.textContent).toMatch(/A–F/);
  });

  it("adds a statistic with a fresh id and edits its fields", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    await fireEvent.click(screen.getByTestId("add-statistic"));
    const labels = screen.getAllByTestId("stat-label");
    expect(labels).toHaveLength(3);
    expect(document.activeElement).toBe(labels[2]);
    await fireEvent.input(labels[2], { target: { value: "Plots disrupted" } });
    await fireEvent.input(screen.getAllByTestId("stat-display")[2], { target: { value: "19" } });
    await fireEvent.input(screen.getAllByTestId("stat-as-of")[2], { target: { value: "2025-10-16" } });
    expect(editor.doc.statistics[2]).toMatchObject({ id: "statistic-3", label: "Plots disrupted", display: "19", as_of: "2025-10-16" });
  });

  it("edits the series as a table of dated points", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    const card = screen.getAllByTestId("statistic")[0];
    await fireEvent.click(within(card).getByRole("button", { name: "Add point" }));
    await fireEvent.click(within(card).getByRole("button", { name: "Add point" }));
    await fireEvent.input(within(card).getByLabelText("Value of point 2"), { target: { value: "40" } });
    await fireEvent.input(within(card).getByLabelText("Date of point 2"), { target: { value: "2025-11-01" } });
    expect(editor.doc.statistics[0].series).toEqual([
      { date: "2025-10-16", value: 35 },
      { date: "2025-11-01", value: 40 },
    ]);
  });
});

describe("links", () => {
  it("opens a link's address in the browser to check it, once it is a valid address", async () => {
    const { calls } = setup();
    await fireEvent.click(screen.getByTestId("tab-links"));
    const open = screen.getAllByRole("button", { name: /in your browser$/ })[0] as HTMLButtonElement;
    expect(open.disabled).toBe(false);
    await fireEvent.click(open);
    await waitFor(() => expect(calls.find((c) => c.cmd === "plugin:opener|open_url")?.args.url).toMatch(/^https:\/\//));
    await fireEvent.input(screen.getAllByTestId("link-url")[0], { target: { value: "javascript:alert(1)" } });
    expect(open.disabled).toBe(true);
  });

  it("checks that a link's address is https", async () => {
    setup();
    await fireEvent.click(screen.getByTestId("tab-links"));
    await fireEvent.click(screen.getByTestId("add-link"));
    const url = screen.getAllByTestId("link-url")[1];
    expect(document.getElementById("f-links-1-url-error")!.textContent).toBe("Give the https address of the guidance");
    await fireEvent.input(url, { target: { value: "http://www.npsa.gov.uk" } });
    expect(document.getElementById("f-links-1-url-error")!.textContent).toMatch(/https/);
    await fireEvent.input(url, { target: { value: "https://www.npsa.gov.uk" } });
    expect(document.getElementById("f-links-1-url-error")).toBeNull();
  });
});

describe("sections", () => {
  const order = () => screen.getAllByTestId("section-row").map((r) => r.dataset.kind);

  it("moves a section with Alt+ArrowDown and Alt+ArrowUp, keeping focus on it", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-sections"));
    expect(order()).toEqual(["summary", "statistics", "article"]);

    const first = screen.getAllByTestId("section-row")[0];
    first.focus();
    await fireEvent.keyDown(first, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(order()).toEqual(["statistics", "summary", "article"]));
    expect(editor.doc.sections.map((s) => s.kind)).toEqual(["statistics", "summary", "article"]);
    expect(document.activeElement).toBe(screen.getAllByTestId("section-row")[1]);
    expect(screen.getByText("Moved “Bottom line up front” to position 2 of 3.")).toBeTruthy();

    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(order()).toEqual(["statistics", "article", "summary"]));
    // Already last: nothing moves.
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowDown", altKey: true });
    expect(order()).toEqual(["statistics", "article", "summary"]);

    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp", altKey: true });
    await waitFor(() => expect(order()).toEqual(["statistics", "summary", "article"]));

    // Each move is one undo step.
    editor.undo();
    await waitFor(() => expect(order()).toEqual(["statistics", "article", "summary"]));
  });

  it("moves a section with the visible up and down buttons", async () => {
    setup();
    await fireEvent.click(screen.getByTestId("tab-sections"));
    const rows = screen.getAllByTestId("section-row");
    expect((within(rows[0]).getByTestId("section-up") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(within(rows[2]).getByTestId("section-up"));
    await waitFor(() => expect(order()).toEqual(["summary", "article", "statistics"]));
    expect(document.activeElement).toBe(within(screen.getAllByTestId("section-row")[1]).getByTestId("section-up"));
  });

  it("adds and removes sections", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-sections"));
    await fireEvent.change(screen.getByLabelText("Add a section"), { target: { value: "links" } });
    await fireEvent.click(screen.getByTestId("add-section"));
    expect(order()).toEqual(["summary", "statistics", "article", "links"]);
    await fireEvent.click(screen.getByRole("button", { name: "Remove section 1" }));
    expect(editor.doc.sections.map((s) => s.kind)).toEqual(["statistics", "article", "links"]);
  });
});

describe("problems", () => {
  it("lists problems with severity, message and hint, and a click goes to the field", async () => {
    const stale = diagnostic("statistics[2].as_of", "statistic `late-stage-plots-disrupted` is stale");
    const title = diagnostic("title", "`title` is empty", "error");
    const { editor } = setup({ diagnostics: [stale, title] });
    const list = screen.getByTestId("problems");
    const items = within(list).getAllByTestId("problem");
    expect(items[0].textContent).toContain("Error");
    expect(items[0].textContent).toContain("`title` is empty");
    expect(items[1].textContent).toContain("Warning");
    expect(items[1].textContent).toContain("statistic `late-stage-plots-disrupted` is stale");
    expect(items[1].textContent).toContain("Look for a newer figure.");
    expect(items[1].textContent).toContain("mi5-threat-update-2025/pack.toml:12");

    await fireEvent.click(items[1]);
    await waitFor(() => expect(editor.tab).toBe("statistics"));
    expect(screen.getByTestId("tab-statistics").getAttribute("aria-selected")).toBe("true");
    // 1-based in the path: statistics[2] is the second statistic.
    expect(document.activeElement).toBe(screen.getAllByTestId("stat-as-of")[1]);

    await fireEvent.click(within(list).getAllByTestId("problem")[0]);
    await waitFor(() => expect(editor.tab).toBe("details"));
    expect(document.activeElement).toBe(screen.getByTestId("field-title"));
  });

  it("goes to an article's field for a problem in an article file", async () => {
    const problem = diagnostic("url", "the article's `url` is not https", "warning", "/lib/p/articles/mi5-update.md");
    setup({ diagnostics: [problem] });
    await fireEvent.click(screen.getByTestId("problem"));
    await waitFor(() => expect(document.activeElement?.id).toBe("f-article-mi5-update-url"));
    expect(screen.getByTestId("tab-articles").getAttribute("aria-selected")).toBe("true");
  });

  it("adds the problems of a saved pack and of a failed preview", async () => {
    const error = diagnostic("sections[3].article", "section 3 names article `gone`", "error");
    setup({
      answers: {
        save_pack: () => saved("rev-2", [error]),
        render_preview: () => {
          throw { kind: "invalid_pack", message: "the pack has 1 error", file: "/lib/p/pack.toml", line: 40, diagnostics: [error] };
        },
      },
    });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "x" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(within(screen.getByTestId("problems")).getAllByTestId("problem")).toHaveLength(1));
    await waitFor(() => expect(document.querySelector(".preview-error")?.textContent).toContain("The preview is out of date."));
    await waitFor(() => expect(screen.getAllByTestId("toast").some((t) => t.textContent!.includes("The preview could not be updated: the pack has 1 error"))).toBe(true));
    expect(screen.getAllByTestId("toast").find((t) => t.textContent!.includes("preview"))!.textContent).toContain("p/pack.toml:40");
  });
});

describe("articles", () => {
  it("imports a picked file with only the accepted proposals", async () => {
    const { calls } = setup({
      answers: {
        "plugin:dialog|open": () => "/home/u/mi5.txt",
        import_preview: () => ({
          path: "/home/u/mi5.txt",
          title: "MI5 annual threat update",
          byline: "Mark Rowe",
          date: null,
          body_markdown: "MI5’s fight against terrorism remains intense.",
          statistics: [
            { display: "35%", label: "increase in individuals investigated", period: "in the last year", sentence: "In the last year we’ve seen a 35 per cent increase." },
            { display: "19", label: "late-stage attack plots", period: "since the start of 2020", sentence: "since the start of 2020, MI5 and the police have disrupted 19 late-stage attack plots" },
          ],
          organisations: [{ name: "NPSA", url: "https://www.npsa.gov.uk" }],
        }),
        import_article: () => saved("rev-3"),
        load_pack: () => opened(),
      },
    });
    await fireEvent.click(screen.getByTestId("tab-articles"));
    await fireEvent.click(screen.getByTestId("import-article"));
    const dialog = await screen.findByTestId("import-dialog");
    expect(dialog.textContent).toContain("MI5 annual threat update");
    expect(dialog.textContent).toContain("By Mark Rowe");
    const boxes = screen.getAllByTestId("import-statistic") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    await fireEvent.click(boxes[1]);
    await fireEvent.click(screen.getByTestId("import-confirm"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "import_article")).toBe(true));
    const call = calls.find((c) => c.cmd === "import_article")!;
    expect(call.args.statistics).toEqual([0]);
    expect(call.args.organisations).toEqual([0]);
    expect(call.args.path).toBe("/home/u/mi5.txt");
    await waitFor(() => expect(screen.queryByTestId("import-dialog")).toBeNull());
  });

  it("previews the body Markdown with escaped text", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-articles"));
    await fireEvent.input(screen.getByLabelText("Body (Markdown)"), { target: { value: "# Heading\n\n<script>alert(1)</script> **bold**" } });
    expect(editor.doc.articles[0].article.body).toContain("<script>");
    await fireEvent.click(screen.getAllByRole("button", { name: "Preview" })[0]);
    const preview = screen.getByLabelText("Body (Markdown) preview");
    expect(preview.querySelector("h1")!.textContent).toBe("Heading");
    expect(preview.querySelector("script")).toBeNull();
    expect(preview.textContent).toContain("<script>alert(1)</script>");
    expect(preview.querySelector("strong")!.textContent).toBe("bold");
  });
});

describe("section dragging", () => {
  // jsdom has no PointerEvent; a MouseEvent with a pointerId is enough here.
  if (!("PointerEvent" in window)) {
    class PointerEvent extends MouseEvent {
      pointerId: number;
      constructor(type: string, init: PointerEventInit = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 0;
      }
    }
    Object.assign(window, { PointerEvent });
  }

  it("moves a section dragged by its grip to where it is dropped", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-sections"));
    // jsdom has no layout: rows 100 px tall, one under another.
    screen.getAllByTestId("section-row").forEach((row, i) => {
      row.getBoundingClientRect = () => ({ top: i * 100, bottom: i * 100 + 100, height: 100, left: 0, right: 500, width: 500, x: 0, y: i * 100, toJSON: () => ({}) });
    });
    const grip = screen.getAllByTestId("section-grip")[0];
    await fireEvent.pointerDown(grip, { button: 0, clientY: 50, pointerId: 1 });
    await fireEvent.pointerMove(grip, { clientY: 260, pointerId: 1 });
    expect(screen.getAllByTestId("section-row")[2].className).toContain("drop-after");
    await fireEvent.pointerUp(grip, { clientY: 260, pointerId: 1 });
    await waitFor(() => expect(editor.doc.sections.map((s) => s.kind)).toEqual(["statistics", "article", "summary"]));
    expect(screen.getAllByTestId("section-row").map((r) => r.dataset.kind)).toEqual(["statistics", "article", "summary"]);
  });
});
