// The House style screen's form: what library.toml holds, as the fields hold it
// (every value a string as typed; empty means "not set"), and back. Checking is
// the core's: the form's settings go to `check_house_style` as they are, so a
// colour typed as "teal" is reported at its field exactly as `briefpack check`
// reports it in the file.

import type { Diagnostic, LibrarySettings } from "../api";

/** The fields of the House style screen. */
export interface HouseForm {
  organisation: string;
  default_marking: string;
  default_template: string;
  /** "" keeps the templates' own serif. */
  font: "" | "serif" | "sans";
  logo_file: string;
  logo_alt: string;
  logo_in_header: boolean;
  heading: string;
  accent: string;
}

export function emptyForm(): HouseForm {
  return { organisation: "", default_marking: "", default_template: "", font: "", logo_file: "", logo_alt: "", logo_in_header: false, heading: "", accent: "" };
}

/** The form showing `settings`. */
export function formFrom(settings: LibrarySettings | null): HouseForm {
  const s = settings ?? {};
  return {
    organisation: s.organisation ?? "",
    default_marking: s.default_marking ?? "",
    default_template: s.default_template ?? "",
    font: s.font ?? "",
    logo_file: s.logo?.file ?? "",
    logo_alt: s.logo?.alt ?? "",
    logo_in_header: s.logo?.in_header ?? false,
    heading: s.colours?.heading ?? "",
    accent: s.colours?.accent ?? "",
  };
}

/** The settings the form says: empty fields are left out, a logo is there once either of its texts is. */
export function settingsFrom(form: HouseForm): LibrarySettings {
  const text = (value: string) => (value.trim() === "" ? null : value);
  const settings: LibrarySettings = {
    organisation: text(form.organisation),
    default_marking: text(form.default_marking),
    default_template: text(form.default_template),
    font: form.font === "" ? null : form.font,
    logo: null,
    colours: null,
  };
  if (form.logo_file.trim() !== "" || form.logo_alt.trim() !== "") {
    settings.logo = { file: form.logo_file, alt: form.logo_alt, in_header: form.logo_in_header ? true : null };
  }
  if (text(form.heading) || text(form.accent)) {
    settings.colours = { heading: text(form.heading.trim()), accent: text(form.accent.trim()) };
  }
  return settings;
}

/** Whether two forms say the same. */
export function sameForm(a: HouseForm, b: HouseForm): boolean {
  return JSON.stringify(settingsFrom(a)) === JSON.stringify(settingsFrom(b));
}

/** Which field of the screen a problem in library.toml belongs to (its field id), if one. */
export function fieldOf(d: Diagnostic): string | null {
  const field = d.field ?? "";
  if (field === "logo" || field.startsWith("logo.file")) return "logo_file";
  if (field.startsWith("logo.alt")) return "logo_alt";
  if (field.startsWith("logo.in_header")) return "logo_in_header";
  if (field.startsWith("colours.heading")) return "heading";
  if (field.startsWith("colours.accent")) return "accent";
  if (["organisation", "default_marking", "default_template", "font"].includes(field)) return field;
  return null;
}

/** A problem as one sentence with its fix. */
export function problemText(d: Diagnostic): string {
  return d.hint ? `${d.message} (${d.hint})` : d.message;
}

/** `#1B365D` for a colour the colour picker can show, else null (a half-typed value). */
export function pickerColour(value: string): string | null {
  return /^#[0-9a-fA-F]{6}$/.test(value.trim()) ? value.trim() : null;
}
