// Protective markings: the nine labels a pack can carry and the colours of their chips.
// TLP 2.0 (FIRST): text in the label's colour on black. UK classifications: plain
// capitals on a light grey chip.

import { MARKING_TABLE } from "../api/bindings/markings";

/** Every marking a pack can carry, in the order the picker shows them. */
export const MARKINGS = MARKING_TABLE.map((m) => m.label);

/** Colours of a marking chip. */
export interface ChipColours {
  background: string;
  color: string;
  scheme: "tlp" | "uk" | "unknown";
}

const BY_LABEL = new Map<string, (typeof MARKING_TABLE)[number]>(MARKING_TABLE.map((m) => [m.label, m]));

/** The chip colours for `marking`; an unknown label gets a neutral outline chip. */
export function markingColours(marking: string): ChipColours {
  const known = BY_LABEL.get(marking);
  if (known?.tlpColour) return { background: "#000000", color: known.tlpColour, scheme: "tlp" };
  if (known) return { background: "#E4E7EB", color: "#1F2328", scheme: "uk" };
  return { background: "#FFFFFF", color: "#4A5260", scheme: "unknown" };
}
