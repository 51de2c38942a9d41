import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";
import { MARKINGS, markingColours } from "./markings";
import MarkingChip from "./components/MarkingChip.svelte";

afterEach(cleanup);

describe("marking chips", () => {
  it("has exactly the nine labels, in order", () => {
    expect([...MARKINGS]).toEqual([
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
  });

  it.each([
    ["TLP:RED", "#FF2B2B"],
    ["TLP:AMBER", "#FFC000"],
    ["TLP:AMBER+STRICT", "#FFC000"],
    ["TLP:GREEN", "#33FF00"],
    ["TLP:CLEAR", "#FFFFFF"],
  ])("draws %s in its FIRST colour on black", (marking, colour) => {
    expect(markingColours(marking)).toEqual({ background: "#000000", color: colour, scheme: "tlp" });
  });

  it.each(["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"])("draws %s as plain capitals on light grey", (marking) => {
    expect(markingColours(marking)).toEqual({ background: "#E4E7EB", color: "#1F2328", scheme: "uk" });
  });

  it("renders the chip with those colours", () => {
    render(MarkingChip, { marking: "TLP:GREEN" });
    const chip = screen.getByTestId("marking-chip");
    expect(chip.textContent).toBe("TLP:GREEN");
    expect(chip.style.backgroundColor).toBe("rgb(0, 0, 0)");
    expect(chip.style.color).toBe("rgb(51, 255, 0)");
  });

  it("renders a dash when there is no marking", () => {
    render(MarkingChip, { marking: null });
    expect(screen.queryByTestId("marking-chip")).toBeNull();
    expect(screen.getByText("—")).toBeTruthy();
  });
});
