//! Writing a pack file people also edit by hand: only what changed is rewritten.
//!
//! [`update_toml`] takes the file's current text and the new content as a TOML
//! value tree, and changes the text in place with `toml_edit`: a key whose
//! value is unchanged keeps its bytes (comments around it, its quoting, `35`
//! rather than `35.0`), a changed value is replaced where it stands, a new key
//! goes after the key that precedes it in the file format, a removed key goes.
//! Tables in an array (`[[statistics]]`) are matched by their `id` when they
//! have one (a recipient by its `name`), else by position, so a comment above a
//! statistic moves with it.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value};

/// The text of the file after changing it to hold `new`, or `None` when the
/// current text is not TOML this module can edit (the caller writes a fresh file).
pub(crate) fn update_toml(current: &str, new: &toml::Table) -> Option<String> {
    let mut doc: DocumentMut = current.parse().ok()?;
    merge_table(doc.as_table_mut(), new);
    renumber_tables(doc.as_table_mut(), &mut 0);
    Some(doc.to_string())
}

/// Whole numbers are written as TOML integers (`35`, not `35.0`), as people write them.
pub(crate) fn whole_floats_as_integers(value: &mut toml::Value) {
    match value {
        toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => *value = toml::Value::Integer(*f as i64),
        toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| whole_floats_as_integers(v)),
        toml::Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

fn merge_table(old: &mut Table, new: &toml::Table) {
    old.retain(|key, _| new.contains_key(key));
    let mut added = Vec::new();
    for (key, value) in new {
        match old.get_mut(key) {
            Some(item) => merge_item(item, value),
            None => {
                let mut item = fresh_item(key, value);
                if let Item::ArrayOfTables(tables) = &mut item {
                    tables.iter_mut().for_each(|t| t.decor_mut().set_prefix("\n"));
                }
                old.insert(key, item);
                added.push(key.as_str());
            }
        }
    }
    if !added.is_empty() {
        place_new_keys(old, new, &added);
    }
}

/// Moves keys that were just appended to sit after the key that precedes them in `new`'s order.
fn place_new_keys(table: &mut Table, new: &toml::Table, added: &[&str]) {
    let before: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let mut order: Vec<String> = before.iter().filter(|k| !added.contains(&k.as_str())).cloned().collect();
    for key in new.keys().filter(|k| added.contains(&k.as_str())) {
        // After the nearest earlier key (in the format's order) that the file has.
        let anchor = new.keys().take_while(|k| *k != key).filter(|k| order.contains(k)).last();
        let at = anchor.and_then(|a| order.iter().position(|k| k == a)).map_or(0, |i| i + 1);
        order.insert(at, key.clone());
    }
    if order == before {
        return;
    }
    let mut entries: Vec<_> = order.iter().filter_map(|k| table.remove_entry(k)).collect();
    for (key, item) in entries.drain(..) {
        table.insert_formatted(&key, item);
    }
}

fn merge_item(item: &mut Item, new: &toml::Value) {
    if same_item(item, new) {
        return;
    }
    match (item, new) {
        (Item::Table(table), toml::Value::Table(new)) => merge_table(table, new),
        (Item::ArrayOfTables(array), toml::Value::Array(new)) if new.iter().all(toml::Value::is_table) => merge_array_of_tables(array, new),
        (Item::Value(value), new) => {
            let Item::Value(mut replacement) = fresh_item("value", new) else {
                return;
            };
            *replacement.decor_mut() = value.decor().clone();
            *value = replacement;
        }
        (item, new) => *item = fresh_item("value", new),
    }
}

/// The fields `[[…]]` tables are matched by, in order of preference: `id`
/// (statistics, links), else `name` (recipients), else their position.
const MATCH_KEYS: [&str; 2] = ["id", "name"];

fn merge_array_of_tables(old: &mut ArrayOfTables, new: &[toml::Value]) {
    let key_of = |t: &Table, key: &str| t.get(key).and_then(Item::as_str).map(str::to_string);
    let match_key = MATCH_KEYS
        .into_iter()
        .find(|&key| new.iter().all(|v| v.get(key).is_some_and(toml::Value::is_str)) && old.iter().all(|t| key_of(t, key).is_some()));
    let previous: Vec<Table> = old.iter().cloned().collect();
    let mut used = vec![false; previous.len()];
    old.clear();
    for (index, value) in new.iter().enumerate() {
        let Some(new_table) = value.as_table() else { continue };
        let matched = match match_key {
            Some(key) => {
                let wanted = value.get(key).and_then(toml::Value::as_str);
                previous.iter().enumerate().position(|(i, t)| !used[i] && key_of(t, key).as_deref() == wanted)
            }
            None => (index < previous.len()).then_some(index),
        };
        let table = match matched {
            Some(i) => {
                used[i] = true;
                let mut table = previous[i].clone();
                merge_table(&mut table, new_table);
                table
            }
            None => fresh_table(new_table),
        };
        old.push(table);
    }
}

/// Gives every table a position in document order, so tables added or moved print where they belong.
fn renumber_tables(table: &mut Table, next: &mut isize) {
    for (_, item) in table.iter_mut() {
        match item {
            Item::Table(t) => {
                if !t.is_implicit() {
                    t.set_position(Some(*next));
                    *next += 1;
                }
                renumber_tables(t, next);
            }
            Item::ArrayOfTables(array) => {
                for t in array.iter_mut() {
                    t.set_position(Some(*next));
                    *next += 1;
                    renumber_tables(t, next);
                }
            }
            _ => {}
        }
    }
}

/// `value` as the `toml` crate's pretty printer writes it (multi-line strings
/// in `"""`, arrays one item a line), parsed back as an editable item.
fn fresh_item(key: &str, value: &toml::Value) -> Item {
    let mut holder = toml::Table::new();
    holder.insert(key.to_string(), value.clone());
    let text = toml::to_string_pretty(&holder).unwrap_or_default();
    let mut doc: DocumentMut = text.parse().unwrap_or_default();
    doc.as_table_mut().remove(key).unwrap_or(Item::None)
}

/// A new `[[…]]` table, set off from the one before by a blank line.
fn fresh_table(table: &toml::Table) -> Table {
    let wrapped = toml::Value::Array(vec![toml::Value::Table(table.clone())]);
    let mut fresh = match fresh_item("entry", &wrapped) {
        Item::ArrayOfTables(array) => array.get(0).cloned().unwrap_or_default(),
        _ => Table::new(),
    };
    fresh.decor_mut().set_prefix("\n");
    fresh
}

fn same_item(item: &Item, new: &toml::Value) -> bool {
    match (item, new) {
        (Item::Value(v), new) => same_value(v, new),
        (Item::Table(t), toml::Value::Table(n)) => same_table(t.iter(), n),
        (Item::ArrayOfTables(a), toml::Value::Array(n)) => {
            a.len() == n.len() && a.iter().zip(n).all(|(t, v)| v.as_table().is_some_and(|n| same_table(t.iter(), n)))
        }
        _ => false,
    }
}

fn same_table<'a>(old: impl Iterator<Item = (&'a str, &'a Item)>, new: &toml::Table) -> bool {
    let mut count = 0;
    for (key, item) in old {
        count += 1;
        if !new.get(key).is_some_and(|n| same_item(item, n)) {
            return false;
        }
    }
    count == new.len()
}

fn same_value(old: &Value, new: &toml::Value) -> bool {
    use toml::Value as N;
    match (old, new) {
        (Value::String(a), N::String(b)) => a.value() == b,
        (Value::Integer(a), N::Integer(b)) => a.value() == b,
        (Value::Integer(a), N::Float(b)) => (*a.value() as f64) == *b,
        (Value::Float(a), N::Float(b)) => a.value() == b,
        (Value::Float(a), N::Integer(b)) => *a.value() == *b as f64,
        (Value::Boolean(a), N::Boolean(b)) => a.value() == b,
        (Value::Datetime(a), N::Datetime(b)) => a.value().to_string() == b.to_string(),
        (Value::Array(a), N::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y)),
        (Value::InlineTable(a), N::Table(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|n| same_value(v, n)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(current: &str, new: &str) -> String {
        let mut value = toml::Value::Table(toml::from_str(new).unwrap());
        whole_floats_as_integers(&mut value);
        update_toml(current, value.as_table().unwrap()).unwrap()
    }

    #[test]
    fn unchanged_content_keeps_every_byte() {
        let text = "# My pack\nformat = 1\ntitle = 'Q4'   # short\n\nvalue = 35\n\n# figures\n[[statistics]]\nid = \"a\"\nvalue = 35.0\n";
        let same = "format = 1\ntitle = \"Q4\"\nvalue = 35.0\n[[statistics]]\nid = \"a\"\nvalue = 35\n";
        assert_eq!(update(text, same), text);
    }

    #[test]
    fn a_changed_value_is_replaced_where_it_stands() {
        let text = "format = 1\ntitle = 'Q4'   # short\nsummary = \"x\"\n";
        let out = update(text, "format = 1\ntitle = \"Q1\"\nsummary = \"x\"\n");
        assert_eq!(out, "format = 1\ntitle = \"Q1\"   # short\nsummary = \"x\"\n");
    }

    #[test]
    fn new_keys_follow_their_predecessor_and_removed_keys_go() {
        let text = "format = 1\ntitle = \"Q4\"\n# the date\ndate = 2025-01-01\nmarking = \"TLP:AMBER\"\n";
        let out = update(text, "format = 1\ntitle = \"Q4\"\nsubtitle = \"Sub\"\ndate = 2025-01-01\n");
        assert_eq!(out, "format = 1\ntitle = \"Q4\"\nsubtitle = \"Sub\"\n# the date\ndate = 2025-01-01\n");
    }

    #[test]
    fn tables_with_ids_move_with_their_comments() {
        let text = "format = 1\n\n# first\n[[statistics]]\nid = \"a\"\nvalue = 1\n\n# second\n[[statistics]]\nid = \"b\"\nvalue = 2\n";
        let out = update(text, "format = 1\n[[statistics]]\nid = \"b\"\nvalue = 2\n[[statistics]]\nid = \"a\"\nvalue = 1\n");
        assert_eq!(out, "format = 1\n\n# second\n[[statistics]]\nid = \"b\"\nvalue = 2\n\n# first\n[[statistics]]\nid = \"a\"\nvalue = 1\n");
    }

    #[test]
    fn recipients_move_with_their_comments_by_name() {
        let text = "format = 1\n\n# the chair\n[[recipients]]\nname = \"Ann\"\n\n# audit\n[[recipients]]\nname = \"Bob\"\n";
        let out = update(text, "format = 1\n[[recipients]]\nname = \"Bob\"\n[[recipients]]\nname = \"Ann\"\n");
        assert_eq!(out, "format = 1\n\n# audit\n[[recipients]]\nname = \"Bob\"\n\n# the chair\n[[recipients]]\nname = \"Ann\"\n");
    }

    #[test]
    fn added_tables_land_after_their_own_kind() {
        let text = "format = 1\n\n[[statistics]]\nid = \"a\"\n\n[[sections]]\nkind = \"summary\"\n";
        let out = update(text, "format = 1\n[[statistics]]\nid = \"a\"\n[[statistics]]\nid = \"b\"\nvalue = 2.0\n[[sections]]\nkind = \"summary\"\n");
        assert_eq!(out, "format = 1\n\n[[statistics]]\nid = \"a\"\n\n[[statistics]]\nid = \"b\"\nvalue = 2\n\n[[sections]]\nkind = \"summary\"\n");
    }

    #[test]
    fn the_first_table_of_a_kind_is_set_off_by_a_blank_line() {
        let out = update("format = 1\n\n[[sections]]\nkind = \"summary\"\n", "format = 1\n[[statistics]]\nid = \"a\"\n[[sections]]\nkind = \"summary\"\n");
        assert_eq!(out, "format = 1\n\n[[statistics]]\nid = \"a\"\n\n[[sections]]\nkind = \"summary\"\n");
    }

    #[test]
    fn multi_line_text_is_written_as_a_block() {
        let out = update("format = 1\nsummary = \"old\"\n", "format = 1\nsummary = \"Line one.\\nLine two.\\n\"\n");
        assert_eq!(out, "format = 1\nsummary = \"\"\"\nLine one.\nLine two.\n\"\"\"\n");
    }
}
