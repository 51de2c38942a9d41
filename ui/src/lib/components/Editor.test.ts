import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import Editor from "./Editor.svelte";
import Toasts from "./Toasts.svelte";
import { EditorStore } from "../editor.svelte";
import { toasts } from "../toasts.svelte";
import { apiError, diagnostic, importPreview, opened, preview, saved, sampleDocument, templates } from "../testing/fixtures";
import { EDITOR_ANSWERS, recordIPC } from "../testing/ipc";
import type { Diagnostic } from "../../api";

// jsdom draws nothing on canvases: pages come as empty canvases instead, with
// the pages drawn (1-based) recorded in `drawn`.
const drawn = vi.hoisted(() => [] as number[]);
vi.mock("../pages", async () => {
  const mock = await import("../testing/pages-mock");
  return {
    pageSize: mock.pageSize,
    drawPage: async (preview: unknown, index: number) => {
      drawn.push(index + 1);
      return mock.drawPage(preview as never, index);
    },
  };
});

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup(options: { diagnostics?: Diagnostic[]; answers?: Record<string, (args: Record<string, unknown>) => unknown> } = {}) {
  const calls = recordIPC({ ...EDITOR_ANSWERS, ...options.answers }, { fallback: null });
  const editor = new EditorStore(opened(undefined, options.diagnostics ?? []), { autosaveMs: 60_000 });
  void editor.start();
  const onBack = vi.fn();
  const onOpenPack = vi.fn(async () => true);
  render(Editor, { editor, onBack, onOpenPack });
  render(Toasts);
  return { editor, calls, onBack, onOpenPack };
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
    // The reading time the core estimates sits beside the page count.
    expect(screen.getByTestId("preview-status").textContent).toContain("2 pages · about 4 min read");
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

  it("chooses the template and edition the preview shows without editing the pack; Use for this pack does", async () => {
    const { editor, calls } = setup();
    await waitFor(() => expect(editor.templates).toHaveLength(2));
    expect(screen.queryByTestId("edition-select")).toBeNull();
    expect(screen.queryByTestId("use-template")).toBeNull();
    await fireEvent.change(screen.getByTestId("template-select"), { target: { value: "training-handout" } });
    const edition = screen.getByTestId("edition-select") as HTMLSelectElement;
    expect([...edition.options].map((o) => o.value)).toEqual(["participant", "facilitator"]);
    await fireEvent.change(edition, { target: { value: "facilitator" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "render_preview").at(-1)!.args).toMatchObject({ template: "training-handout", edition: "facilitator" }));
    // Only the preview changed: nothing to undo, nothing to save.
    expect(editor.doc.meta).toMatchObject({ template: "board-briefing", edition: null });
    expect(screen.getByTestId("save-state").textContent).toBe("Saved");
    expect((screen.getByRole("button", { name: "Undo (Ctrl+Z)" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("view-note").textContent).toContain("the pack itself uses board-briefing");

    await fireEvent.click(screen.getByTestId("use-template"));
    expect(editor.doc.meta).toMatchObject({ template: "training-handout", edition: "facilitator" });
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
    expect(screen.queryByTestId("use-template")).toBeNull();
    expect(screen.queryByTestId("view-note")).toBeNull();
  });

  it("shows the template's parts as tabs and the others under More", async () => {
    const { editor } = setup();
    await waitFor(() => expect(editor.templates).toHaveLength(2));
    const rail = () => screen.getAllByRole("tab").map((t) => t.id.replace("tab-", ""));
    expect(rail()).toEqual(["details", "summary", "sections", "articles", "statistics", "links", "recommendations", "distribution"]);
    await fireEvent.click(screen.getByTestId("tab-more"));
    expect(screen.getAllByRole("menuitem").map((m) => m.dataset.testid)).toEqual(["more-questions", "more-objectives"]);
    await fireEvent.click(screen.getByTestId("more-questions"));
    expect(editor.tab).toBe("questions");
    expect(rail()).toContain("questions");
    expect(document.activeElement).toBe(screen.getByTestId("tab-questions"));
    // Previewing the handout brings its parts forward.
    await fireEvent.change(screen.getByTestId("template-select"), { target: { value: "training-handout" } });
    expect(rail()).toEqual(["details", "summary", "sections", "articles", "statistics", "links", "questions", "objectives", "distribution"]);
  });

  it("exports what the preview shows through the dialog Rust opens, and offers Open and Show in folder", async () => {
    const { calls } = setup({ answers: { export_pdf: () => ({ id: 3, path: "/home/adviser/out.pdf" }) } });
    await fireEvent.click(screen.getByTestId("export"));
    const toast = await screen.findByText("Exported out.pdf");
    expect(calls.find((c) => c.cmd === "export_pdf")!.args).toEqual({ name: "mi5-threat-update-2025", template: null, edition: null });
    expect(calls.some((c) => c.cmd.startsWith("plugin:dialog"))).toBe(false);
    const box = toast.closest("[data-testid=toast]") as HTMLElement;
    await fireEvent.click(within(box).getByRole("button", { name: "Show in folder" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "open_exported")?.args).toEqual({ id: 3, reveal: true }));
  });

  it("does nothing more when the export dialog is cancelled", async () => {
    setup({ answers: { export_pdf: () => null } });
    await fireEvent.click(screen.getByTestId("export"));
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryAllByTestId("toast")).toHaveLength(0);
  });

  it("shows the marking as a bar in its TLP colours, which leads to the picker", async () => {
    const { editor } = setup();
    const bar = screen.getByTestId("marking-bar");
    expect(bar.textContent).toContain("TLP:AMBER");
    expect(bar.className).toContain("marking-bar-tlp");
    expect(bar.style.getPropertyValue("--marking-colour")).toBe("#FFC000");
    expect(bar.style.getPropertyValue("--marking-background")).toBe("#000000");
    await fireEvent.click(screen.getByTestId("tab-summary"));
    await fireEvent.click(bar);
    await waitFor(() => expect(editor.tab).toBe("details"));
    expect((document.activeElement as HTMLInputElement).value).toBe("TLP:AMBER");
    editor.edit(null, (d) => (d.meta.marking = "OFFICIAL-SENSITIVE"));
    await waitFor(() => expect(screen.getByTestId("marking-bar").className).toContain("marking-bar-uk"));
  });

  it("goes back to the library with Ctrl+Shift+L, as the button's title says", async () => {
    const { onBack } = setup();
    expect(screen.getByTestId("back").getAttribute("title")).toContain("Ctrl+Shift+L");
    await fireEvent.keyDown(window, { key: "L", ctrlKey: true, shiftKey: true });
    expect(onBack).toHaveBeenCalledTimes(1);
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
    // Ids are out of the way, under Advanced, until one has a problem.
    const advanced = screen.getAllByTestId("stat-advanced") as HTMLDetailsElement[];
    expect(advanced.map((d) => d.open)).toEqual([false, false]);

    await fireEvent.input(id1, { target: { value: "" } });
    expect(document.getElementById("f-statistics-1-id-error")!.textContent).toBe('Give the statistic a short unique id, like "state-threats"');
    expect(id1.getAttribute("aria-invalid")).toBe("true");
    expect(advanced[1].open).toBe(true);
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved until 1 field is fixed");

    await fireEvent.input(id1, { target: { value: "state-threat-investigations" } });
    for (const i of [0, 1]) expect(document.getElementById(`f-statistics-${i}-id-error`)!.textContent).toBe('Another statistic already uses the id "state-threat-investigations"');
    expect(id0.getAttribute("aria-describedby")).toContain("f-statistics-0-id-error");

    const value = screen.getAllByTestId("stat-value")[0] as HTMLInputElement;
    await fireEvent.input(value, { target: { value: "3five" } });
    expect(document.getElementById("f-statistics-0-value-error")!.textContent).toBe("Value must be a number, like 35 or 4.2");
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

  it("adds a statistic, focuses its label and gives it an id from the label", async () => {
    const { editor } = setup();
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    await fireEvent.click(screen.getByTestId("add-statistic"));
    const labels = screen.getAllByTestId("stat-label");
    expect(labels).toHaveLength(3);
    expect(document.activeElement).toBe(labels[2]);
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved until 1 field is fixed");
    await fireEvent.input(labels[2], { target: { value: "Plots disrupted" } });
    await fireEvent.input(screen.getAllByTestId("stat-display")[2], { target: { value: "19" } });
    await fireEvent.input(screen.getAllByTestId("stat-as-of")[2], { target: { value: "2025-10-16" } });
    expect(editor.doc.statistics[2]).toMatchObject({ id: "plots-disrupted", label: "Plots disrupted", display: "19", as_of: "2025-10-16" });
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
  });

  it("keeps an invalid date in its field, with its reason, across a tab switch, and does not save meanwhile", async () => {
    const { editor, calls } = setup();
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    const asOf = screen.getAllByTestId("stat-as-of")[1] as HTMLInputElement;
    await fireEvent.input(asOf, { target: { value: "31/02/2025" } });
    await fireEvent.blur(asOf);
    expect(editor.doc.statistics[1].as_of).toBe("2023-01-01");
    await fireEvent.click(screen.getByTestId("tab-details"));
    await fireEvent.click(screen.getByTestId("tab-statistics"));
    const again = screen.getAllByTestId("stat-as-of")[1] as HTMLInputElement;
    expect(again.value).toBe("31/02/2025");
    expect(again.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("f-statistics-1-as_of-error")!.textContent).toBe("As of must be a date like 20 Oct 2025 or 20/10/2025");
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved until 1 field is fixed");
    expect(screen.getByTestId("save-state").dataset.status).toBe("invalid");
    const listed = within(screen.getByTestId("problems")).getAllByTestId("problem")[0];
    expect(listed.textContent).toContain("As of must be a date like 20 Oct 2025");

    await fireEvent.click(screen.getByTestId("tab-details"));
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "Another title" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(0);
    expect(screen.queryAllByTestId("toast")).toHaveLength(0);

    // The Problems list leads back to the field, wherever the user is.
    await fireEvent.click(screen.getByTestId("tab-summary"));
    await fireEvent.click(within(screen.getByTestId("problems")).getAllByTestId("problem")[0]);
    await waitFor(() => expect(document.activeElement?.id).toBe("f-statistics-1-as_of"));
    await fireEvent.input(document.activeElement!, { target: { value: "28/02/2025" } });
    expect(editor.doc.statistics[1].as_of).toBe("2025-02-28");
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId("save-state").textContent).toBe("Saved"));
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
    expect(document.activeElement).toBe(screen.getAllByTestId("link-title")[1]);
    expect(document.getElementById("f-links-1-title-error")!.textContent).toBe("Say what the reader will find there");
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
  it("shows each problem in plain words, file:line underneath, errors apart from warnings; a click goes to the field", async () => {
    const stale = {
      ...diagnostic("statistics[2].as_of", "The figure “Late-stage attack plots disrupted” (statistic `late-stage-plots-disrupted`) is stale"),
      hint: "as_of = YYYY-MM-DD in pack.toml",
    };
    const template = { ...diagnostic(null, "Building board-briefing stops here: unknown filter", "error", "/lib/mi5-threat-update-2025/templates/board-briefing/template.md"), line: 7 };
    const { editor } = setup({ diagnostics: [stale, template] });
    const list = screen.getByTestId("problems");
    expect(list.querySelector(".count-error")!.textContent).toBe("1 error");
    expect(list.querySelector(".count-warning")!.textContent).toBe("1 warning");
    const items = within(list).getAllByTestId("problem");
    expect(items.map((i) => i.dataset.severity)).toEqual(["error", "warning"]);
    expect(items[0].className).toContain("problem-error");
    expect(items[1].className).toContain("problem-warning");
    expect(items[1].querySelector(".problem-message")!.textContent).toBe(stale.message);
    // The file's name only, never its folders; the file syntax of the hint stays out of the way.
    expect(within(items[1]).getByTestId("problem-where").textContent).toBe("pack.toml:12");
    expect(within(items[0]).getByTestId("problem-where").textContent).toBe("template.md:7");
    expect(items[1].textContent).not.toContain("as_of = ");
    expect(items[1].getAttribute("title")).toBe("as_of = YYYY-MM-DD in pack.toml");

    await fireEvent.click(items[1]);
    await waitFor(() => expect(editor.tab).toBe("statistics"));
    expect(screen.getByTestId("tab-statistics").getAttribute("aria-selected")).toBe("true");
    // 1-based in the path: statistics[2] is the second statistic.
    expect(document.activeElement).toBe(screen.getAllByTestId("stat-as-of")[1]);

    // A template's failure leads to the choice of template.
    await fireEvent.click(within(list).getAllByTestId("problem")[0]);
    await waitFor(() => expect(editor.tab).toBe("details"));
    expect(document.activeElement?.id).toBe("f-meta-template");
  });

  it("focuses the exact input of every field a problem can name", async () => {
    const { editor } = setup();
    await waitFor(() => expect(editor.templates).toHaveLength(2));
    editor.pushAt(["statistics", 0, "series"], { date: "2025-01-01", value: 3 });
    editor.pushAt(["questions"], { text: "One?", answer: null, minutes: null });
    editor.pushAt(["questions"], { text: "Two?", answer: null, minutes: 5 });
    editor.pushAt(["meta", "objectives"], "Explain the threat");
    editor.addSection("markdown");
    editor.setPath(["sections", 3, "body"], "Text");
    const pack = "/lib/mi5-threat-update-2025/pack.toml";
    const article = "/lib/mi5-threat-update-2025/articles/mi5-update.md";
    const cases: [string | null, string, string?][] = [
      ["title", "f-meta-title"],
      ["date", "f-meta-date"],
      ["audience", "f-meta-audience"],
      ["marking", "f-meta-marking"],
      ["template", "f-meta-template"],
      ["staleness_months", "f-meta-staleness_months"],
      ["language", "f-meta-language"],
      ["accessible", "f-meta-accessible"],
      ["archival", "f-meta-archival"],
      ["summary", "f-meta-summary"],
      ["statistics[2].as_of", "f-statistics-1-as_of"],
      ["statistics[2].source", "f-statistics-1-source"],
      ["statistics[1].value", "f-statistics-0-value"],
      ["statistics[1].label", "f-statistics-0-label"],
      ["statistics[1].source_url", "f-statistics-0-source_url"],
      ["statistics[1].grade", "f-statistics-0-grade"],
      ["statistics[1].id", "f-statistics-0-id"],
      ["statistics[1].series[1].date", "f-statistics-0-series-0-date"],
      ["statistics[1].series[1].value", "f-statistics-0-series-0-value"],
      ["statistics[1].marking", "f-statistics-0"],
      ["statistics[2]", "f-statistics-1"],
      ["links[1].url", "f-links-0-url"],
      ["links[1].title", "f-links-0-title"],
      ["links[1].id", "f-links-0-id"],
      ["links[1]", "f-links-0"],
      ["sections[3].article", "f-sections-2-article"],
      ["sections[4].body", "f-sections-3-body"],
      ["sections[2].title", "f-sections-1-title"],
      ["sections[2]", "f-sections-1"],
      ["sections[1].statistics[1]", "f-sections-0"],
      ["recommendations[1].text", "f-recommendations-0-text"],
      ["recommendations[1].due", "f-recommendations-0-due"],
      ["recommendations[1]", "f-recommendations-0"],
      ["questions[2].text", "f-questions-1-text"],
      ["questions[2].minutes", "f-questions-1-minutes"],
      ["objectives[1]", "f-objectives-0"],
      ["title", "f-article-mi5-update-title", article],
      ["url", "f-article-mi5-update-url", article],
      ["published", "f-article-mi5-update-published", article],
      ["body", "f-article-mi5-update-body", article],
    ];
    for (const [field, id, file] of cases) {
      await editor.goToProblem(diagnostic(field, "x", "error", file ?? pack));
      await waitFor(() => expect(document.activeElement?.id, `${field} in ${file ?? "pack.toml"}`).toBe(id));
    }
  });

  it("adds the problems of a saved pack and of a failed preview, without a toast for either", async () => {
    const error = diagnostic("sections[3].article", "Section 3 shows the article `gone`, but the pack has no such article", "error");
    setup({
      answers: {
        save_pack: () => saved("rev-2", [error]),
        render_preview: () => {
          throw { kind: "invalid_pack", message: "the pack has 1 error", file: "/lib/p/pack.toml", line: 40, diagnostics: [error] };
        },
      },
    });
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "x" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(within(screen.getByTestId("problems")).getAllByTestId("problem")).toHaveLength(1));
    await waitFor(() => expect(document.querySelector(".preview-error")?.textContent).toContain("The preview is out of date."));
    expect(screen.queryAllByTestId("toast")).toHaveLength(0);
  });

  it("toasts a preview that fails for another reason once, not on every save", async () => {
    setup({
      answers: {
        render_preview: () => {
          throw { kind: "render", message: "the layout ran out of memory", file: null, line: null, diagnostics: [] };
        },
      },
    });
    await waitFor(() => expect(screen.getAllByTestId("toast")).toHaveLength(1));
    for (const title of ["x", "y"]) {
      await fireEvent.input(screen.getByTestId("field-title"), { target: { value: title } });
      await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
      await waitFor(() => expect(screen.getByTestId("save-state").textContent).toBe("Saved"));
    }
    expect(screen.getAllByTestId("toast")).toHaveLength(1);
    expect(screen.getByTestId("toast").textContent).toContain("The preview could not be updated: the layout ran out of memory");
  });
});

describe("another program changed the pack", () => {
  function theirs() {
    const doc = sampleDocument();
    doc.meta.audience = "Audit committee";
    return { ...opened(doc), revision: "rev-theirs" };
  }

  async function conflicted(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
    const ctx = setup({
      answers: {
        save_pack: () => {
          throw apiError("conflict", "the pack changed on disk");
        },
        load_pack: () => theirs(),
        ...answers,
      },
    });
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "My title" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await screen.findByTestId("conflict-banner");
    return ctx;
  }

  it("shows a banner and a loud header, and keeps every edit made meanwhile", async () => {
    const { editor, calls } = await conflicted();
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved — changed on disk");
    expect(screen.getByTestId("conflict-banner").textContent).toContain("Another program changed this pack on disk.");
    expect(screen.queryAllByTestId("toast")).toHaveLength(0);
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "My title, still typing" } });
    await fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1);
    expect(editor.doc.meta.title).toBe("My title, still typing");
    expect(screen.getByTestId("conflict-banner")).toBeTruthy();
  });

  it("Load theirs shows the version on disk; Ctrl+Z brings the in-app version back", async () => {
    const { editor } = await conflicted();
    await fireEvent.click(screen.getByTestId("load-theirs"));
    await waitFor(() => expect(screen.queryByTestId("conflict-banner")).toBeNull());
    const title = screen.getByTestId("field-title") as HTMLInputElement;
    expect(title.value).toBe("State threats and terrorism");
    expect(editor.doc.meta.audience).toBe("Audit committee");
    expect(screen.getByTestId("save-state").textContent).toBe("Saved");
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect((screen.getByTestId("field-title") as HTMLInputElement).value).toBe("My title");
    expect(editor.doc.meta.audience).toBe("Board risk committee");
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
  });

  it("Keep mine first says what it will replace, then writes the editor's version", async () => {
    const { editor, calls } = await conflicted({ conflict_details: () => ["audience", "statistic 2: label"], keep_mine: () => saved("rev-mine") });
    await fireEvent.click(screen.getByTestId("keep-mine"));
    const dialog = await screen.findByTestId("keep-mine-dialog");
    expect(within(dialog).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["audience", "statistic 2: label"]);
    expect(document.activeElement).toBe(within(dialog).getByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "keep_mine")).toBe(false);
    await fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.queryByTestId("conflict-banner")).toBeNull());
    expect(screen.queryByTestId("keep-mine-dialog")).toBeNull();
    const keep = calls.find((c) => c.cmd === "keep_mine")!;
    expect((keep.args.document as { meta: { title: string } }).meta.title).toBe("My title");
    expect(editor.revision).toBe("rev-mine");
    expect(screen.getByTestId("save-state").textContent).toBe("Saved");
  });

  it("Keep mine can be called off, and the conflict stays", async () => {
    const { calls } = await conflicted({ conflict_details: () => ["audience"] });
    await fireEvent.click(screen.getByTestId("keep-mine"));
    await fireEvent.click(within(await screen.findByTestId("keep-mine-dialog")).getByTestId("confirm-cancel"));
    expect(screen.queryByTestId("keep-mine-dialog")).toBeNull();
    expect(screen.getByTestId("conflict-banner")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "keep_mine")).toBe(false);
  });

  it("keeps nothing while a field is invalid, and says which to fix first", async () => {
    const { calls } = await conflicted({ conflict_details: () => [] });
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("keep-mine"));
    await fireEvent.click(screen.getByTestId("save-copy"));
    expect(calls.some((c) => ["conflict_details", "keep_mine", "save_as_copy"].includes(c.cmd))).toBe(false);
    expect(screen.getByTestId("toast").textContent).toContain("once the fields marked in red are fixed");
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved — changed on disk");
  });

  it("Save mine as a copy opens the copy and says where the user's version is", async () => {
    const { onOpenPack, calls } = await conflicted({ save_as_copy: () => "mi5-threat-update-2025-my-copy" });
    await fireEvent.click(screen.getByTestId("save-copy"));
    await waitFor(() => expect(onOpenPack).toHaveBeenCalledWith("mi5-threat-update-2025-my-copy"));
    expect((calls.find((c) => c.cmd === "save_as_copy")!.args.document as { meta: { title: string } }).meta.title).toBe("My title");
    const toast = await screen.findByText("Your version is now the pack “My title (my copy)”, open here.");
    expect(toast.closest("[data-testid=toast]")!.textContent).toContain("mi5-threat-update-2025-my-copy");
  });

  it("is found on window focus when the pack on disk changed under unsaved edits", async () => {
    const { editor } = setup({ answers: { pack_revision: () => "rev-theirs" } });
    await fireEvent.input(screen.getByTestId("field-title"), { target: { value: "Unsaved" } });
    await editor.checkDisk();
    expect(await screen.findByTestId("conflict-banner")).toBeTruthy();
  });
});

describe("focus", () => {
  it("moves into the new item's first field after Add", async () => {
    setup();
    await fireEvent.click(screen.getByTestId("tab-recommendations"));
    await fireEvent.click(screen.getByTestId("add-recommendation"));
    expect(document.activeElement?.id).toBe("f-recommendations-1-text");
    await fireEvent.click(screen.getByTestId("tab-more"));
    await fireEvent.click(screen.getByTestId("more-questions"));
    await fireEvent.click(screen.getByTestId("add-question"));
    expect(document.activeElement?.id).toBe("f-questions-0-text");
    await fireEvent.click(screen.getByTestId("tab-more"));
    await fireEvent.click(screen.getByTestId("more-objectives"));
    await fireEvent.click(screen.getByRole("button", { name: "Add objective" }));
    expect(document.activeElement?.id).toBe("f-objectives-0");
    await fireEvent.click(screen.getByTestId("tab-links"));
    await fireEvent.click(screen.getByTestId("add-link"));
    expect(document.activeElement?.id).toBe("f-links-1-title");
  });

  it("stays on the moved section's field after Alt+↓", async () => {
    setup();
    await fireEvent.click(screen.getByTestId("tab-sections"));
    const heading = document.getElementById("f-sections-0-title") as HTMLInputElement;
    heading.focus();
    await fireEvent.keyDown(heading, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(document.activeElement?.id).toBe("f-sections-1-title"));
    expect((document.activeElement as HTMLInputElement).value).toBe("Bottom line up front");
  });
});

describe("articles", () => {
  it("imports a page picked in the dialog Rust opens, with only the accepted proposals, as one undo step", async () => {
    const withImport = sampleDocument();
    withImport.articles.push({ id: "mi5-annual", article: { meta: { title: "MI5 annual threat update", key_points: [] }, body: "Text" } });
    const { calls, editor } = setup({
      answers: {
        pick_import: () => importPreview(),
        import_article: () => saved("rev-3"),
        load_pack: () => ({ ...opened(withImport), revision: "rev-3" }),
      },
    });
    await fireEvent.click(screen.getByTestId("tab-articles"));
    await fireEvent.click(screen.getByTestId("import-article"));
    const dialog = await screen.findByTestId("import-dialog");
    expect(dialog.textContent).toContain("MI5 annual threat update");
    expect(dialog.textContent).toContain("By Mark Rowe");
    expect(dialog.textContent).toContain("mi5.txt");
    expect(screen.getByTestId("import-read-with").textContent).toContain("the whole file");
    const boxes = screen.getAllByTestId("import-statistic") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    // Guidance organisations start ticked; those named only for context (GCHQ) do not.
    expect((screen.getAllByTestId("import-organisation") as HTMLInputElement[]).map((b) => b.checked)).toEqual([true]);
    expect((screen.getAllByTestId("import-context-organisation") as HTMLInputElement[]).map((b) => b.checked)).toEqual([false]);
    await fireEvent.click(boxes[1]);
    await fireEvent.click(screen.getByTestId("import-confirm"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "import_article")).toBe(true));
    expect(calls.find((c) => c.cmd === "import_article")!.args).toEqual({ name: "mi5-threat-update-2025", statistics: [0], organisations: [0], revision: "rev-1" });
    await waitFor(() => expect(screen.queryByTestId("import-dialog")).toBeNull());
    await waitFor(() => expect(editor.doc.articles).toHaveLength(2));
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect(editor.doc.articles.map((a) => a.id)).toEqual(["mi5-update"]);
  });

  it("previews a file dropped on the window", async () => {
    const calls: string[] = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        if (cmd === "dropped_import") return importPreview();
        if (cmd === "list_templates") return templates;
        if (cmd === "render_preview") return preview();
        return null;
      },
      { shouldMockEvents: true },
    );
    const editor = new EditorStore(opened(), { autosaveMs: 60_000 });
    render(Editor, { editor, onBack: vi.fn(), onOpenPack: vi.fn(async () => true) });
    await waitFor(async () => {
      await emit("file-dropped");
      expect(calls).toContain("dropped_import");
    });
    expect(await screen.findByTestId("import-dialog")).toBeTruthy();
    expect(editor.tab).toBe("articles");
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
