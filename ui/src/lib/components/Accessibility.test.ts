import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { EDITOR_ANSWERS, recordIPC } from "../testing/ipc";
import Editor from "./Editor.svelte";
import Toasts from "./Toasts.svelte";
import { EditorStore } from "../editor.svelte";
import { toasts } from "../toasts.svelte";
import { diagnostic, opened, preview, saved, sampleDocument } from "../testing/fixtures";
import type { Diagnostic, PackDocument } from "../../api";

// jsdom draws nothing on canvases: the preview's pages come as empty canvases.
vi.mock("../pages", () => import("../testing/pages-mock"));

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup(document: PackDocument = sampleDocument(), diagnostics: Diagnostic[] = []) {
  const calls = recordIPC(EDITOR_ANSWERS, { fallback: null });
  const editor = new EditorStore(opened(document, diagnostics), { autosaveMs: 60_000 });
  void editor.start();
  render(Editor, { editor, onBack: vi.fn(), onOpenPack: vi.fn(async () => true) });
  render(Toasts);
  return { editor, calls };
}

/** The document of the latest save. */
const lastSaved = (calls: { cmd: string; args: Record<string, unknown> }[]) => calls.filter((c) => c.cmd === "save_pack").at(-1)!.args.document as PackDocument;
const save = () => fireEvent.keyDown(window, { key: "s", ctrlKey: true });

describe("the pack's language", () => {
  it("is set in Details, empty leaves it unset, and a text that is not a language tag is held back", async () => {
    const { editor, calls } = setup();
    const field = screen.getByLabelText("Language") as HTMLInputElement;
    expect(field.id).toBe("f-meta-language");
    expect(field.value).toBe("");
    expect(field.placeholder).toBe("en-GB");
    expect(document.getElementById("f-meta-language-hint")!.textContent).toContain("Screen readers pronounce the PDF in this language");

    await fireEvent.input(field, { target: { value: "cy" } });
    expect(editor.doc.meta.language).toBe("cy");
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");

    await fireEvent.input(field, { target: { value: "Welsh language" } });
    expect(document.getElementById("f-meta-language-error")!.textContent).toBe("“Welsh language” is not a language tag: a language tag starts with a two- or three-letter language code");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("save-state").textContent).toBe("Not saved until 1 field is fixed");
    await save();
    expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(0);

    await fireEvent.input(field, { target: { value: "" } });
    expect(editor.doc.meta.language).toBeNull();
    expect(document.getElementById("f-meta-language-error")).toBeNull();
    await save();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1));
    expect(lastSaved(calls).meta.language).toBeNull();
  });

  it("a language problem the core reports leads to the field from the Problems list", async () => {
    const { editor } = setup(sampleDocument(), [diagnostic("language", "“english” is not a language tag: a language tag starts with a two- or three-letter language code", "error")]);
    await fireEvent.click(screen.getByTestId("tab-summary"));
    await fireEvent.click(within(screen.getByTestId("problems")).getAllByTestId("problem")[0]);
    await waitFor(() => expect(editor.tab).toBe("details"));
    expect(document.activeElement?.id).toBe("f-meta-language");
  });
});

describe("the switches beside Export", () => {
  it("tick Accessible style and Archival as undoable settings of the pack; unticked is unset, and the preview follows", async () => {
    const { editor, calls } = setup();
    const accessible = screen.getByTestId("export-accessible") as HTMLInputElement;
    const archival = screen.getByTestId("export-archival") as HTMLInputElement;
    expect(screen.getByLabelText("Accessible style")).toBe(accessible);
    expect(screen.getByLabelText("Archival (PDF/A)")).toBe(archival);
    expect(accessible.closest("label")!.title).toContain("sans-serif type of 12 pt or more");
    expect(archival.closest("label")!.title).toContain("PDF/A-2");
    expect([accessible.checked, archival.checked]).toEqual([false, false]);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "render_preview")).toHaveLength(1));

    await fireEvent.click(accessible);
    expect(editor.doc.meta.accessible).toBe(true);
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
    await save();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1));
    expect(lastSaved(calls).meta.accessible).toBe(true);
    // The preview is built again from the saved pack, which now asks for the accessible style.
    await waitFor(() => expect(calls.filter((c) => c.cmd === "render_preview")).toHaveLength(2));

    await fireEvent.click(archival);
    expect(editor.doc.meta.archival).toBe(true);
    await fireEvent.click(accessible);
    expect(accessible.checked).toBe(false);
    // Unset, not false: pack.toml keeps no line for it.
    expect(editor.doc.meta.accessible).toBeNull();
    await save();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(2));
    expect(lastSaved(calls).meta).toMatchObject({ accessible: null, archival: true });

    // Each switch is one undo step.
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect([editor.doc.meta.accessible, accessible.checked]).toEqual([true, true]);
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect([editor.doc.meta.archival ?? null, archival.checked]).toEqual([null, false]);
    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect([editor.doc.meta.accessible ?? null, accessible.checked]).toEqual([null, false]);
  });

  it("show the pack's own settings", () => {
    const doc = sampleDocument();
    doc.meta.accessible = true;
    doc.meta.archival = true;
    setup(doc);
    expect((screen.getByTestId("export-accessible") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("export-archival") as HTMLInputElement).checked).toBe(true);
  });
});

describe("image descriptions", () => {
  const body = "Intro with ![inline](inline.png) in a sentence.\n\n![](charts/threats.png)\n\n```\n![](code.png)\n```\n\n![A bar chart of plots disrupted](charts/plots.png)\n";
  const withImages = () => {
    const doc = sampleDocument();
    doc.articles[0].article.body = body;
    return doc;
  };
  const rows = () => screen.getAllByTestId("image-description");

  it("lists the open article's images and flags those without a description", async () => {
    setup(withImages());
    await fireEvent.click(screen.getByTestId("tab-articles"));
    expect(rows()).toHaveLength(2);
    expect(rows().map((r) => r.querySelector("label")!.textContent)).toEqual(["Image 1: charts/threats.png", "Image 2: charts/plots.png"]);
    expect(rows().map((r) => r.dataset.described)).toEqual(["false", "true"]);
    const flag = within(rows()[0]).getByTestId("image-undescribed");
    expect(flag.textContent).toBe("No description: screen readers cannot say what this shows");
    expect(within(rows()[0]).getByRole("textbox").getAttribute("aria-describedby")).toBe(flag.id);
    expect(within(rows()[1]).queryByTestId("image-undescribed")).toBeNull();
    expect((within(rows()[1]).getByRole("textbox") as HTMLInputElement).value).toBe("A bar chart of plots disrupted");
    expect(screen.getByTestId("image-descriptions").querySelector("legend")!.textContent).toContain("1 without a description");
  });

  it("writes a description into the body's Markdown, escaped, as one undo step", async () => {
    const { editor, calls } = setup(withImages());
    await fireEvent.click(screen.getByTestId("tab-articles"));
    const input = within(rows()[0]).getByRole("textbox") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "Threats [2025]" } });
    await fireEvent.input(input, { target: { value: "Threats [2025] rose by a third" } });
    const described = body.replace("![](charts/threats.png)", "![Threats \\[2025\\] rose by a third](charts/threats.png)");
    expect(editor.doc.articles[0].article.body).toBe(described);
    // The body field shows the rewritten Markdown; the image in a sentence and the one in code are untouched.
    expect((screen.getByLabelText("Body (Markdown)") as HTMLTextAreaElement).value).toBe(described);
    expect(input.value).toBe("Threats [2025] rose by a third");
    expect(within(rows()[0]).queryByTestId("image-undescribed")).toBeNull();
    expect(screen.getByTestId("save-state").textContent).toBe("Unsaved");
    await save();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "save_pack")).toHaveLength(1));
    expect(lastSaved(calls).articles[0].article.body).toBe(described);

    await fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect(editor.doc.articles[0].article.body).toBe(body);
    expect(within(rows()[0]).getByTestId("image-undescribed")).toBeTruthy();
    expect((within(rows()[0]).getByRole("textbox") as HTMLInputElement).value).toBe("");

    // The list follows the body: no figures, no list.
    await fireEvent.input(screen.getByLabelText("Body (Markdown)"), { target: { value: "No pictures here." } });
    expect(screen.queryByTestId("image-descriptions")).toBeNull();
  });

  it("a missing description the core reports leads from the Problems list to the article's body", async () => {
    const warning = {
      ...diagnostic("body", "The image charts/threats.png in “MI5 annual threat update” has no description, so a screen reader cannot say what it shows", "warning", "/lib/mi5-threat-update-2025/articles/mi5-update.md"),
      hint: "describe it between the brackets: ![what the image shows](charts/threats.png)",
    };
    const { editor } = setup(withImages(), [warning]);
    await fireEvent.click(within(screen.getByTestId("problems")).getAllByTestId("problem")[0]);
    await waitFor(() => expect(editor.tab).toBe("articles"));
    expect(document.activeElement?.id).toBe("f-article-mi5-update-body");
  });
});
