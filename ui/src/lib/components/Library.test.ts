import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import Library from "./Library.svelte";
import Toasts from "./Toasts.svelte";
import { toasts } from "../toasts.svelte";
import { library } from "../testing/fixtures";
import { recordIPC } from "../testing/ipc";

afterEach(() => {
  cleanup();
  clearMocks();
  toasts.clear();
});

function setup(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  const calls = recordIPC({ open_library: () => library(), ...answers }, { fallback: null });
  const onOpen = vi.fn();
  render(Library, { onOpen });
  render(Toasts);
  return { calls, onOpen };
}

describe("library view", () => {
  it("lists the packs with title, date, marking, last modified, and the library path", async () => {
    setup();
    const rows = await screen.findAllByTestId("pack-row");
    expect(rows.map((r) => r.dataset.name)).toEqual(["mi5-threat-update-2025", "board-q3", "broken-pack"]);
    expect(screen.getByTestId("library-path").textContent).toBe("/home/adviser/Briefings");
    const first = within(rows[0]);
    expect(first.getByText("State threats and terrorism")).toBeTruthy();
    expect(first.getByText("20 Oct 2025")).toBeTruthy();
    expect(first.getByTestId("marking-chip").textContent).toBe("TLP:AMBER");
    expect(rows[0].textContent).toMatch(/21 Oct 2025, \d\d:\d\d/);
    expect(within(rows[1]).getByTestId("marking-chip").textContent).toBe("OFFICIAL-SENSITIVE");
  });

  it("shows a broken pack's problem in its row instead of breaking the list", async () => {
    setup();
    const rows = await screen.findAllByTestId("pack-row");
    const broken = rows.find((r) => r.dataset.name === "broken-pack")!;
    const problem = within(broken).getByTestId("pack-problem");
    expect(problem.textContent).toBe("broken-pack/pack.toml:3: `date` must be a date like 2025-10-16");
    expect(problem.className).toContain("pack-problem");
    expect(within(broken).queryByTestId("marking-chip")).toBeNull();
    // The other packs are still listed and usable.
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByRole("button", { name: "Duplicate State threats and terrorism" })).toHaveProperty("disabled", false);
  });

  it("filters by title as the user types in the search box", async () => {
    setup();
    await screen.findAllByTestId("pack-row");
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "quarterly" } });
    const rows = screen.getAllByTestId("pack-row");
    expect(rows.map((r) => r.dataset.name)).toEqual(["board-q3"]);
    await fireEvent.input(screen.getByTestId("search"), { target: { value: "nothing like this" } });
    expect(screen.queryAllByTestId("pack-row")).toHaveLength(0);
    expect(screen.getByText(/No pack title contains/)).toBeTruthy();
  });

  it("creates a pack from the New pack dialog and opens it", async () => {
    const { calls, onOpen } = setup({ create_pack: () => "board-q4" });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByTestId("new-pack"));
    const title = screen.getByTestId("new-pack-title");
    expect(document.activeElement).toBe(title);
    await fireEvent.click(screen.getByTestId("new-pack-create"));
    expect(screen.getByText("Give the pack a title")).toBeTruthy();
    await fireEvent.input(title, { target: { value: "Board Q4" } });
    await fireEvent.click(screen.getByTestId("new-pack-create"));
    await waitFor(() => expect(onOpen).toHaveBeenCalledWith("board-q4"));
    expect(calls.find((c) => c.cmd === "create_pack")!.args).toEqual({ title: "Board Q4", template: null });
  });

  it("opens the New pack dialog with Ctrl+N and focuses search with Ctrl+F", async () => {
    setup();
    await screen.findAllByTestId("pack-row");
    await fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("search"));
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(screen.getByRole("dialog", { name: "New pack" })).toBeTruthy();
  });

  it("deletes to the trash, then Undo restores the pack", async () => {
    const { calls } = setup({ delete_pack: () => "board-q3", restore_pack: () => "board-q3" });
    const rows = await screen.findAllByTestId("pack-row");
    await fireEvent.click(within(rows[1]).getByRole("button", { name: "Delete Quarterly board pack" }));
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Moved “Quarterly board pack” to the trash.");
    await fireEvent.click(within(toast).getByRole("button", { name: "Undo" }));
    await screen.findByText("Restored “Quarterly board pack”.");
    expect(calls.find((c) => c.cmd === "delete_pack")!.args).toEqual({ name: "board-q3" });
    expect(calls.find((c) => c.cmd === "restore_pack")!.args).toEqual({ trashed: "board-q3" });
    expect(calls.filter((c) => c.cmd === "open_library").length).toBeGreaterThanOrEqual(3);
  });

  it("shows an error toast when the library cannot be read", async () => {
    setup({
      open_library: () => {
        throw { kind: "io", message: "cannot read /nowhere", file: "/nowhere", line: null, diagnostics: [] };
      },
    });
    const toast = await screen.findByTestId("toast");
    expect(toast.textContent).toContain("Could not open the library: cannot read /nowhere");
    expect(toast.dataset.kind).toBe("error");
  });

  it("opens another library chosen in the folder dialog Rust opens", async () => {
    const other = { path: "/media/share/packs", packs: [], trash: [] };
    const { calls } = setup({ choose_library: () => other });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByRole("button", { name: "Open library…" }));
    await waitFor(() => expect(screen.getByTestId("library-path").textContent).toBe("/media/share/packs"));
    expect(calls.find((c) => c.cmd === "choose_library")!.args).toEqual({});
    expect(calls.some((c) => c.cmd.startsWith("plugin:dialog"))).toBe(false);
  });

  it("keeps the library as it was when the folder dialog is cancelled", async () => {
    setup({ choose_library: () => null });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByRole("button", { name: "Open library…" }));
    expect(screen.getByTestId("library-path").textContent).toBe("/home/adviser/Briefings");
    expect(screen.getAllByTestId("pack-row")).toHaveLength(3);
  });
});

describe("trash", () => {
  it("shows how many packs are in the trash, lists them and restores one", async () => {
    let view = library();
    const { calls, onOpen } = setup({
      open_library: () => view,
      restore_pack: () => {
        view = { ...view, packs: [...view.packs, { ...view.trash[0], dir: "/home/adviser/Briefings/old-briefing" }], trash: [] };
        return "old-briefing";
      },
    });
    await screen.findAllByTestId("pack-row");
    expect(screen.getByTestId("trash-count").textContent).toBe("1");
    await fireEvent.click(screen.getByTestId("show-trash"));
    const rows = screen.getAllByTestId("trash-row");
    expect(rows.map((r) => r.dataset.name)).toEqual(["old-briefing"]);
    expect(rows[0].textContent).toContain("Old briefing");
    await fireEvent.click(within(rows[0]).getByRole("button", { name: "Restore Old briefing" }));
    await waitFor(() => expect(screen.getByTestId("trash-empty")).toBeTruthy());
    expect(calls.find((c) => c.cmd === "restore_pack")!.args).toEqual({ trashed: "old-briefing" });
    const toast = await screen.findByText("Restored “Old briefing”.");
    await fireEvent.click(within(toast.closest("[data-testid=toast]") as HTMLElement).getByRole("button", { name: "Open it" }));
    expect(onOpen).toHaveBeenCalledWith("old-briefing");
    await fireEvent.click(screen.getByTestId("trash-back"));
    expect(screen.getAllByTestId("pack-row").map((r) => r.dataset.name)).toContain("old-briefing");
    expect(screen.getByTestId("trash-count").textContent).toBe("0");
  });

  it("empties the trash only after asking", async () => {
    let view = library();
    const { calls } = setup({
      open_library: () => view,
      empty_trash: () => {
        view = { ...view, trash: [] };
        return 1;
      },
    });
    await screen.findAllByTestId("pack-row");
    await fireEvent.click(screen.getByTestId("show-trash"));
    await fireEvent.click(screen.getByTestId("empty-trash"));
    const dialog = screen.getByTestId("empty-trash-dialog");
    expect(dialog.textContent).toContain("cannot be undone");
    expect(dialog.textContent).toContain("Old briefing");
    expect(document.activeElement).toBe(within(dialog).getByTestId("confirm-cancel"));
    await fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    expect(calls.some((c) => c.cmd === "empty_trash")).toBe(false);
    await fireEvent.click(screen.getByTestId("empty-trash"));
    await fireEvent.click(within(screen.getByTestId("empty-trash-dialog")).getByTestId("confirm-ok"));
    await waitFor(() => expect(screen.getByTestId("trash-empty")).toBeTruthy());
    expect(calls.filter((c) => c.cmd === "empty_trash")).toHaveLength(1);
    await screen.findByText("Deleted 1 pack for good.");
    expect((screen.getByTestId("empty-trash") as HTMLButtonElement).disabled).toBe(true);
  });

  it("reads the library again when the window regains focus", async () => {
    let view = library();
    const calls: string[] = [];
    mockIPC(
      (cmd) => {
        calls.push(cmd);
        return cmd === "open_library" ? view : null;
      },
      { shouldMockEvents: true },
    );
    mockWindows("main");
    render(Library, { onOpen: vi.fn() });
    await screen.findAllByTestId("pack-row");
    view = { ...view, packs: view.packs.slice(0, 1) };
    await waitFor(async () => {
      await emit("tauri://focus");
      expect(screen.getAllByTestId("pack-row")).toHaveLength(1);
    });
  });
});

describe("first run", () => {
  it("offers the example pack and a new pack in an empty library", async () => {
    let view = { path: "/home/adviser/Briefings", packs: [] as ReturnType<typeof library>["packs"], trash: [] };
    const { calls } = setup({
      open_library: () => view,
      add_example: () => {
        view = { ...view, packs: [library().packs[0]] };
        return "mi5-threat-update-2025";
      },
    });
    const empty = await screen.findByTestId("library-empty");
    expect(within(empty).getByTestId("empty-new-pack")).toBeTruthy();
    await fireEvent.click(within(empty).getByTestId("add-example"));
    await waitFor(() => expect(screen.getAllByTestId("pack-row").map((r) => r.dataset.name)).toEqual(["mi5-threat-update-2025"]));
    expect(calls.filter((c) => c.cmd === "add_example")).toHaveLength(1);
    await screen.findByText("Added the example pack “State threats and terrorism”.");
  });
});
