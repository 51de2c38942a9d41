import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import NewPackModal from "./NewPackModal.svelte";

afterEach(() => cleanup());

describe("modal dialogs", () => {
  it("start on their first field, keep Tab inside and cancel on Escape", async () => {
    const onCancel = vi.fn();
    render(NewPackModal, { onCreate: vi.fn(async () => {}), onCancel });
    const title = screen.getByTestId("new-pack-title");
    const create = screen.getByTestId("new-pack-create");
    expect(document.activeElement).toBe(title);
    create.focus();
    await fireEvent.keyDown(create, { key: "Tab" });
    expect(document.activeElement).toBe(title);
    await fireEvent.keyDown(title, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(create);
    await fireEvent.keyDown(create, { key: "Escape" });
    expect(onCancel).toHaveBeenCalledOnce();
  });
});
