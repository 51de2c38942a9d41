import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import DateField from "./DateField.svelte";

afterEach(() => cleanup());

function setup(value: string | null, required = false) {
  const onchange = vi.fn();
  render(DateField, { id: "f-date", label: "Date", value, onchange, required });
  return { onchange, input: screen.getByLabelText(/^Date/) as HTMLInputElement };
}

describe("date field", () => {
  it("shows the date the UK way and reads what the user types", async () => {
    const { onchange, input } = setup("2025-10-20");
    expect(input.value).toBe("20 Oct 2025");
    await fireEvent.input(input, { target: { value: "16/10/2025" } });
    expect(onchange).toHaveBeenLastCalledWith("2025-10-16");
    await fireEvent.input(input, { target: { value: "10/20/2025" } });
    expect(document.getElementById("f-date-error")!.textContent).toMatch(/like 20 Oct 2025/);
    expect(onchange).toHaveBeenCalledTimes(1);
  });

  it("picks a day from a calendar that starts on Monday", async () => {
    const { onchange } = setup("2025-10-20");
    await fireEvent.click(screen.getByRole("button", { name: "Choose the date from a calendar" }));
    expect(screen.getByText("October 2025")).toBeTruthy();
    expect(screen.getAllByRole("columnheader")[0].textContent).toBe("Mo");
    const selected = screen.getByRole("button", { name: "20 Oct 2025" });
    expect(selected.getAttribute("aria-pressed")).toBe("true");
    expect(document.activeElement).toBe(selected);
    await fireEvent.click(screen.getByRole("button", { name: "Next month" }));
    expect(screen.getByText("November 2025")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "3 Nov 2025" }));
    expect(onchange).toHaveBeenLastCalledWith("2025-11-03");
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("moves by day and week with the arrow keys, across months, and closes on Escape", async () => {
    setup("2025-10-31");
    await fireEvent.click(screen.getByRole("button", { name: "Choose the date from a calendar" }));
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowRight" });
    expect(screen.getByText("November 2025")).toBeTruthy();
    expect((document.activeElement as HTMLElement).getAttribute("aria-label")).toBe("1 Nov 2025");
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    expect((document.activeElement as HTMLElement).getAttribute("aria-label")).toBe("25 Oct 2025");
    await fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("empties an optional date, but asks for a required one", async () => {
    const optional = setup("2025-10-20");
    await fireEvent.input(optional.input, { target: { value: "" } });
    expect(optional.onchange).toHaveBeenLastCalledWith(null);
    cleanup();
    const required = setup("2025-10-20", true);
    await fireEvent.input(required.input, { target: { value: "" } });
    expect(required.onchange).not.toHaveBeenCalled();
    expect(document.getElementById("f-date-error")!.textContent).toBe("Give the date");
  });
});
