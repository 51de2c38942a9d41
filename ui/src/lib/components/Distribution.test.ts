import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import Editor from "./Editor.svelte";
import Toasts from "./Toasts.svelte";
import { EditorStore } from "../editor.svelte";
import { toasts } from "../toasts.svelte";
import { apiError, distributionPlan, logEntry, opened, sampleDocument } from "../testing/fixtures";
import { EDITOR_ANSWERS, recordIPC } from "../testing/ipc";
import type { CopyView, DistributionProgress, DistributionView } from "../../api";

vi.mock("../pages", () => import("../testing/pages-mock"));

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

const BOARD = ["Jane Smith", "Ravi Patel", "Aoife O’Brien"];

type Answer = (args: Record<string, unknown>) => unknown;

function copy(number: number, outcome: CopyView["outcome"] = "issued"): CopyView {
  return { number, of: 3, recipient: BOARD[number - 1], file_name: `copy-0${number}.pdf`, outcome };
}

function progress(number: number): DistributionProgress {
  return { pack: "mi5-threat-update-2025", done: number, total: 3, copy: copy(number) };
}

function setup(answers: Record<string, Answer> = {}, document = sampleDocument()) {
  const calls = recordIPC(
    {
      ...EDITOR_ANSWERS,
      distribution_lists: ["board"],
      distribution_log: [],
      distribution_plan: (args: Record<string, unknown>) => distributionPlan(args.list === "board" ? BOARD : ["Company Secretary"]),
      ...answers,
    },
    { fallback: null, events: true },
  );
  const editor = new EditorStore(opened(document), { autosaveMs: 60_000 });
  void editor.start();
  render(Editor, { editor, onBack: vi.fn(), onOpenPack: vi.fn(async () => true) });
  render(Toasts);
  return { editor, calls };
}

const withRecipient = () => {
  const doc = sampleDocument();
  doc.recipients = [{ name: "Company Secretary", role: null, organisation: null, email: null }];
  return doc;
};

describe("Distribute…", () => {
  it("shows who receives a copy, issues the copies with a row each, then opens the folder", async () => {
    const finished: DistributionView = { folder_id: 4, folder: "/lib/mi5/out/distribution-2025-10-20", copies: [copy(1), copy(2), copy(3)], stopped: null, warnings: [] };
    const { calls } = setup({
      distribute: async () => {
        for (const n of [1, 2, 3]) await emit("distribution-progress", progress(n));
        return finished;
      },
    }, withRecipient());
    await fireEvent.click(screen.getByTestId("distribute"));
    const dialog = await screen.findByTestId("distribute-dialog");
    // The pack's own recipients first; the library's list on request.
    await waitFor(() => expect(within(dialog).getByTestId("distribute-names").textContent).toContain("Company Secretary"));
    expect(within(dialog).getByTestId("watermark-note").textContent).toContain("No watermark");
    await fireEvent.click(within(dialog).getByTestId("source-list"));
    await waitFor(() => expect(within(dialog).getAllByRole("listitem").map((li) => li.textContent)).toEqual(BOARD));
    expect(calls.filter((c) => c.cmd === "distribution_plan").at(-1)!.args).toEqual({ name: "mi5-threat-update-2025", list: "board", template: "board-briefing", edition: null });
    expect(within(dialog).getByTestId("distribute-confirm").textContent).toContain("Distribute 3 copies");
    await waitFor(() => expect((within(dialog).getByTestId("distribute-confirm") as HTMLButtonElement).disabled).toBe(false));

    await fireEvent.click(within(dialog).getByTestId("distribute-confirm"));
    await waitFor(() => expect(within(dialog).getByTestId("distribute-status").textContent).toContain("Done: 3 copies"));
    expect(within(dialog).getAllByTestId("copy-row").map((r) => r.dataset.state)).toEqual(["issued", "issued", "issued"]);
    expect(within(dialog).getAllByTestId("copy-row")[1].textContent).toContain("Ravi Patel");
    expect((within(dialog).getByTestId("distribute-progress") as HTMLProgressElement).value).toBe(3);
    expect(calls.find((c) => c.cmd === "distribute")!.args).toEqual({ name: "mi5-threat-update-2025", list: "board", template: "board-briefing", edition: null });
    // The folder is opened by its number; nothing sends a path.
    await fireEvent.click(within(dialog).getByTestId("distribute-open-folder"));
    expect(calls.find((c) => c.cmd === "open_distribution")!.args).toEqual({ id: 4 });
    expect(calls.filter((c) => c.cmd === "distribution_log").length).toBeGreaterThan(0);
    await fireEvent.click(within(dialog).getByTestId("distribute-close"));
    expect(screen.queryByTestId("distribute-dialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("distribute"));
  });

  it("marks each copy as it is written and stops on Cancel", async () => {
    let cancelled!: () => void;
    const cancel = new Promise<void>((resolve) => (cancelled = resolve));
    const { calls } = setup(
      {
        distribute: async () => {
          await emit("distribution-progress", progress(1));
          await cancel;
          return { folder_id: 0, folder: "/lib/mi5/out/distribution-2025-10-20", copies: [copy(1)], stopped: "the distribution was stopped after 1 of 3 copies; every copy written so far is logged, and running it again finishes it", warnings: [] };
        },
        cancel_distribution: () => {
          cancelled();
          return null;
        },
      },
      withRecipient(),
    );
    await fireEvent.click(screen.getByTestId("distribute"));
    const dialog = await screen.findByTestId("distribute-dialog");
    await fireEvent.click(within(dialog).getByTestId("source-list"));
    await waitFor(() => expect(within(dialog).getByTestId("distribute-confirm").textContent).toContain("3 copies"));
    await waitFor(() => expect((within(dialog).getByTestId("distribute-confirm") as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(within(dialog).getByTestId("distribute-confirm"));
    await waitFor(() => expect(within(dialog).getAllByTestId("copy-row").map((r) => r.dataset.state)).toEqual(["issued", "pending", "pending"]));
    expect(within(dialog).getByTestId("distribute-status").textContent).toContain("Writing copy 2 of 3");
    expect(within(dialog).queryByTestId("distribute-close")).toBeNull();
    // Escape while copies are being made cancels rather than closing.
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(calls.some((c) => c.cmd === "cancel_distribution")).toBe(true);
    await waitFor(() => expect(within(dialog).getByTestId("distribute-status").textContent).toContain("Stopped after 1 of 3 copies"));
    expect(within(dialog).getByRole("status").textContent).toContain("running it again finishes it");
    expect(within(dialog).getAllByTestId("copy-row").map((r) => r.dataset.state)).toEqual(["issued", "pending", "pending"]);
    expect(within(dialog).getByTestId("distribute-open-folder")).toBeTruthy();
  });

  it("shows the core's refusal plainly and offers nothing to distribute", async () => {
    const refusal = "a TLP:RED pack may be distributed only to people named one by one, and this pack names nobody";
    setup({
      distribution_lists: () => [],
      distribution_plan: () => {
        throw apiError("distribution", refusal);
      },
    });
    await fireEvent.click(screen.getByTestId("distribute"));
    const dialog = await screen.findByTestId("distribute-dialog");
    await waitFor(() => expect(within(dialog).getByRole("alert").textContent).toBe(refusal));
    expect((within(dialog).getByTestId("distribute-confirm") as HTMLButtonElement).disabled).toBe(true);
    expect((within(dialog).getByTestId("source-list") as HTMLInputElement).disabled).toBe(true);
  });

  it("offers the template's editions, the pack's own first", async () => {
    const doc = withRecipient();
    doc.meta.template = "training-handout";
    doc.meta.edition = "facilitator";
    const { calls } = setup({}, doc);
    await fireEvent.click(screen.getByTestId("distribute"));
    const dialog = await screen.findByTestId("distribute-dialog");
    await waitFor(() => expect((within(dialog).getByTestId("distribute-edition") as HTMLSelectElement).value).toBe("facilitator"));
    await fireEvent.change(within(dialog).getByTestId("distribute-template"), { target: { value: "board-briefing" } });
    expect(within(dialog).queryByTestId("distribute-edition")).toBeNull();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "distribution_plan").at(-1)!.args).toMatchObject({ template: "board-briefing", edition: null }));
  });
});

describe("the Distribution tab", () => {
  it("lists the copies issued and edits the pack's recipients with undo", async () => {
    const { editor } = setup({ distribution_log: () => [logEntry(1, "Jane Smith"), logEntry(2, "Ravi Patel")] });
    await fireEvent.click(screen.getByTestId("tab-distribution"));
    const rows = await screen.findAllByTestId("log-row");
    expect(rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent!.trim()))).toEqual([
      ["1 of 3", "Jane Smith", "28 Nov 2026, 09:30", "board-briefing", "copy-01-jane-smith.pdf"],
      ["2 of 3", "Ravi Patel Audit chair", "28 Nov 2026, 09:30", "board-briefing", "copy-02-ravi-patel.pdf"],
    ]);
    await fireEvent.click(screen.getByTestId("add-recipient"));
    expect(document.activeElement).toBe(screen.getByTestId("recipient-name"));
    // A recipient without a name is held back, and says why.
    expect(screen.getByTestId("save-state").dataset.status).toBe("invalid");
    await fireEvent.input(screen.getByTestId("recipient-name"), { target: { value: "Jane Smith" } });
    expect(editor.doc.recipients).toEqual([{ name: "Jane Smith", role: null, organisation: null, email: null }]);
    expect(screen.getByTestId("tab-distribution").textContent).toContain("1");
    await fireEvent.change(screen.getByTestId("distribution-list"), { target: { value: "board" } });
    expect(editor.doc.meta.distribution).toBe("board");
    editor.undo();
    editor.undo();
    editor.undo();
    expect(editor.doc.meta.distribution ?? null).toBeNull();
    expect(editor.doc.recipients ?? []).toEqual([]);
  });

  it("traces a picked file and a file dropped while the tab is open", async () => {
    const { calls } = setup({
      pick_trace: () => ({ file_name: "found.pdf", trace: { by: "hash", matches: [{ pack_dir: "/lib/mi5", entry: logEntry(2, "Ravi Patel") }], logs_searched: 1 } }),
      trace_dropped: () => ({ file_name: "stranger.pdf", trace: { by: null, matches: [], logs_searched: 1 } }),
    });
    await fireEvent.click(screen.getByTestId("tab-distribution"));
    await fireEvent.click(screen.getByTestId("trace-file"));
    await waitFor(() => expect(screen.getByTestId("trace-result").textContent).toContain("“found.pdf” is Ravi Patel’s copy."));
    await waitFor(async () => {
      await emit("file-dropped");
      expect(screen.getByTestId("trace-result").textContent).toContain("“stranger.pdf” matches no copy");
    });
    expect(calls.some((c) => c.cmd === "dropped_import")).toBe(false);
  });
});
