// Protective markings: the nine labels a pack can carry and the colours of their chips.
// TLP 2.0 (FIRST): text in the label's colour on black. UK classifications: plain
// capitals on a light grey chip.

/** Every marking a pack can carry, in the order the picker shows them. */
export const MARKINGS = [
  "TLP:CLEAR",
  "TLP:GREEN",
  "TLP:AMBER",
  "TLP:AMBER+STRICT",
  "TLP:RED",
  "OFFICIAL",
  "OFFICIAL-SENSITIVE",
  "SECRET",
  "TOP SECRET",
] as const;

export type MarkingLabel = (typeof MARKINGS)[number];

/** Colours of a marking chip. */
export interface ChipColours {
  background: string;
  color: string;
  scheme: "tlp" | "uk" | "unknown";
}

const TLP_TEXT: Record<string, string> = {
  "TLP:RED": "#FF2B2B",
  "TLP:AMBER": "#FFC000",
  "TLP:AMBER+STRICT": "#FFC000",
  "TLP:GREEN": "#33FF00",
  "TLP:CLEAR": "#FFFFFF",
};

const UK = new Set(["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]);

/** The chip colours for `marking`; an unknown label gets a neutral outline chip. */
export function markingColours(marking: string): ChipColours {
  const tlp = TLP_TEXT[marking];
  if (tlp) return { background: "#000000", color: tlp, scheme: "tlp" };
  if (UK.has(marking)) return { background: "#E4E7EB", color: "#1F2328", scheme: "uk" };
  return { background: "#FFFFFF", color: "#4A5260", scheme: "unknown" };
}
