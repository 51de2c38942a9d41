// Generated from crates/briefpack/src/pack/marking.rs by the export_bindings_marking_table test. Do not edit.

/** Every marking a pack can carry, least to most restrictive within each scheme. */
export const MARKING_TABLE = [
  { label: "TLP:CLEAR", scheme: "tlp", level: 0, tlpColour: "#FFFFFF" },
  { label: "TLP:GREEN", scheme: "tlp", level: 1, tlpColour: "#33FF00" },
  { label: "TLP:AMBER", scheme: "tlp", level: 2, tlpColour: "#FFC000" },
  { label: "TLP:AMBER+STRICT", scheme: "tlp", level: 3, tlpColour: "#FFC000" },
  { label: "TLP:RED", scheme: "tlp", level: 4, tlpColour: "#FF2B2B" },
  { label: "OFFICIAL", scheme: "uk", level: 0, tlpColour: null },
  { label: "OFFICIAL-SENSITIVE", scheme: "uk", level: 1, tlpColour: null },
  { label: "SECRET", scheme: "uk", level: 2, tlpColour: null },
  { label: "TOP SECRET", scheme: "uk", level: 3, tlpColour: null },
] as const;
