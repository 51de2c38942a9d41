//! The structure tree of a tagged PDF (ISO 32000-1, 14.7–14.8; PDF/UA-1), built
//! with lopdf once the page writer has drawn the pages.
//!
//! The layout's [`Structure`] says what each node is and where it sits; the page
//! writer says which marked-content ids (MCIDs) and link annotations on each page
//! belong to which node. From those this writes a `Document` element holding every
//! node that has content, each node's kids in reading order (its own content in
//! drawing order, then its child nodes in creation order, then its links), a
//! parent tree from every MCID and annotation back to its element, and the
//! catalog entries a tagged file needs.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::finish::pdf_text;
use super::serialize::Written;
use super::PdfError;
use crate::layout::{ListNumbering, NodeId, Role, Structure};

/// What one page's marked content and links belong to.
#[derive(Debug, Default)]
pub(super) struct PageTags {
    /// The node of each MCID on the page (the MCID is the index).
    pub(super) marks: Vec<NodeId>,
    /// Each link annotation, in the order the page writer made them: the node whose
    /// text it is on, and its description.
    pub(super) links: Vec<(Option<NodeId>, String)>,
}

/// An element's kid before object ids are known.
enum Kid {
    /// Marked content: page index and MCID.
    Content(usize, usize),
    /// A child node.
    Node(NodeId),
    /// A Link element (index into the links).
    Link(usize),
}

/// Writes the structure tree, the parent tree and the catalog's tagging entries,
/// and turns link annotations into objects that belong to Link elements.
pub(super) fn write_structure(pdf: &mut Document, written: &mut Written, structure: &Structure, pages: &[PageTags]) -> Result<(), PdfError> {
    let write_error = |e: lopdf::Error| PdfError::Write(e.to_string());
    let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let nodes = &structure.nodes;

    // Content per node, in drawing order.
    let mut content: Vec<Vec<(usize, usize)>> = vec![Vec::new(); nodes.len()];
    for (page, tags) in pages.iter().enumerate() {
        for (mcid, &node) in tags.marks.iter().enumerate() {
            if let Some(list) = content.get_mut(node as usize) {
                list.push((page, mcid));
            }
        }
    }

    // Link annotations become objects of their own, each with a Link element.
    struct LinkElement {
        parent: Option<NodeId>,
        annotation: ObjectId,
        page: usize,
    }
    let mut links = Vec::new();
    let link_key_base = pages.len() as i64;
    for (page, tags) in pages.iter().enumerate() {
        let Some(&page_id) = page_ids.get(page) else { continue };
        let annotations = match pdf.get_dictionary(page_id).and_then(|d| d.get(b"Annots")) {
            Ok(Object::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        let mut references = Vec::with_capacity(annotations.len());
        for (k, annotation) in annotations.into_iter().enumerate() {
            let mut dict = match annotation {
                Object::Dictionary(dict) => dict,
                Object::Reference(id) => pdf.get_dictionary(id).map_err(write_error)?.clone(),
                _ => continue,
            };
            let (parent, description) = tags.links.get(k).cloned().unwrap_or((None, String::new()));
            let key = link_key_base + links.len() as i64;
            dict.set("StructParent", Object::Integer(key));
            if !description.is_empty() {
                dict.set("Contents", pdf_text(&description));
            }
            // Printed with the page (PDF/A), never hidden.
            dict.set("F", Object::Integer(4));
            dict.set("P", Object::Reference(page_id));
            let id = pdf.add_object(dict);
            references.push(Object::Reference(id));
            links.push(LinkElement { parent: parent.filter(|&p| (p as usize) < nodes.len()), annotation: id, page });
        }
        let page_dict = pdf.get_dictionary_mut(page_id).map_err(write_error)?;
        page_dict.set("StructParents", Object::Integer(page as i64));
        // Tab order follows the structure.
        page_dict.set("Tabs", Object::Name(b"S".to_vec()));
        if references.is_empty() {
            page_dict.remove(b"Annots");
        } else {
            page_dict.set("Annots", Object::Array(references));
        }
    }

    // Which nodes are written: those with content of their own or below them, and
    // every cell of a written table row (an empty cell still holds its column).
    let mut included: Vec<bool> = content.iter().map(|c| !c.is_empty()).collect();
    for link in &links {
        if let Some(parent) = link.parent {
            included[parent as usize] = true;
        }
    }
    // Parents are always created before their children, so one pass upwards suffices.
    for id in (0..nodes.len()).rev() {
        if included[id] {
            if let Some(parent) = nodes[id].parent {
                included[parent as usize] = true;
            }
        }
    }
    for id in 0..nodes.len() {
        if matches!(nodes[id].role, Role::TableHeader | Role::TableData) && nodes[id].parent.is_some_and(|row| included[row as usize]) {
            included[id] = true;
        }
    }

    // Kids: own content, then child nodes, then links.
    let mut kids: Vec<Vec<Kid>> = content.iter().map(|c| c.iter().map(|&(page, mcid)| Kid::Content(page, mcid)).collect()).collect();
    let mut root_kids = Vec::new();
    for id in 0..nodes.len() {
        if !included[id] {
            continue;
        }
        match nodes[id].parent {
            Some(parent) => kids[parent as usize].push(Kid::Node(id as NodeId)),
            None => root_kids.push(Kid::Node(id as NodeId)),
        }
    }
    for (index, link) in links.iter().enumerate() {
        match link.parent {
            Some(parent) => kids[parent as usize].push(Kid::Link(index)),
            None => root_kids.push(Kid::Link(index)),
        }
    }

    let tree_root = pdf.new_object_id();
    let document = pdf.new_object_id();
    let node_ids: Vec<Option<ObjectId>> = included.iter().map(|&yes| yes.then(|| pdf.new_object_id())).collect();
    let link_ids: Vec<ObjectId> = links.iter().map(|_| pdf.new_object_id()).collect();
    let element_of = |node: Option<NodeId>| node.and_then(|n| node_ids[n as usize]).unwrap_or(document);

    let kid_objects = |kids: &[Kid], own_page: Option<usize>| -> Vec<Object> {
        kids.iter()
            .filter_map(|kid| match *kid {
                Kid::Content(page, mcid) if Some(page) == own_page => Some(Object::Integer(mcid as i64)),
                Kid::Content(page, mcid) => {
                    let mut mcr = Dictionary::new();
                    mcr.set("Type", Object::Name(b"MCR".to_vec()));
                    mcr.set("Pg", Object::Reference(*page_ids.get(page)?));
                    mcr.set("MCID", Object::Integer(mcid as i64));
                    Some(Object::Dictionary(mcr))
                }
                Kid::Node(node) => node_ids[node as usize].map(Object::Reference),
                Kid::Link(index) => Some(Object::Reference(link_ids[index])),
            })
            .collect()
    };

    for id in 0..nodes.len() {
        let Some(object_id) = node_ids[id] else { continue };
        let node = &nodes[id];
        let own_page = content[id].first().map(|&(page, _)| page);
        let mut element = Dictionary::new();
        element.set("Type", Object::Name(b"StructElem".to_vec()));
        element.set("S", Object::Name(node.role.pdf_name().as_bytes().to_vec()));
        element.set("P", Object::Reference(element_of(node.parent)));
        if let Some(page) = own_page.and_then(|p| page_ids.get(p)) {
            element.set("Pg", Object::Reference(*page));
        }
        element.set("K", one_or_array(kid_objects(&kids[id], own_page)));
        if let Some(alt) = &node.alt {
            element.set("Alt", pdf_text(alt));
        }
        if let Some(lang) = &node.lang {
            element.set("Lang", pdf_text(lang));
        }
        match node.role {
            Role::TableHeader => element.set("A", attributes("Table", "Scope", "Column")),
            Role::List(numbering) => {
                let name = match numbering {
                    ListNumbering::Decimal => "Decimal",
                    ListNumbering::Disc => "Disc",
                    ListNumbering::None => "None",
                };
                element.set("A", attributes("List", "ListNumbering", name));
            }
            _ => {}
        }
        written.add(object_id, &Object::Dictionary(element));
    }
    for (index, link) in links.iter().enumerate() {
        let mut element = Dictionary::new();
        element.set("Type", Object::Name(b"StructElem".to_vec()));
        element.set("S", Object::Name(b"Link".to_vec()));
        element.set("P", Object::Reference(element_of(link.parent)));
        element.set("Pg", Object::Reference(page_ids[link.page]));
        let mut objr = Dictionary::new();
        objr.set("Type", Object::Name(b"OBJR".to_vec()));
        objr.set("Obj", Object::Reference(link.annotation));
        objr.set("Pg", Object::Reference(page_ids[link.page]));
        element.set("K", Object::Array(vec![Object::Dictionary(objr)]));
        written.add(link_ids[index], &Object::Dictionary(element));
    }

    let mut document_element = Dictionary::new();
    document_element.set("Type", Object::Name(b"StructElem".to_vec()));
    document_element.set("S", Object::Name(b"Document".to_vec()));
    document_element.set("P", Object::Reference(tree_root));
    document_element.set("K", Object::Array(kid_objects(&root_kids, None)));
    written.add(document, &Object::Dictionary(document_element));

    // The parent tree: each page's MCIDs, then each annotation, back to their elements.
    let mut nums = Vec::new();
    for (page, tags) in pages.iter().enumerate() {
        nums.push(Object::Integer(page as i64));
        let parents = tags.marks.iter().map(|&node| Object::Reference(element_of(Some(node)))).collect();
        nums.push(Object::Array(parents));
    }
    for (index, _) in links.iter().enumerate() {
        nums.push(Object::Integer(link_key_base + index as i64));
        nums.push(Object::Reference(link_ids[index]));
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(nums));
    let parent_tree = pdf.add_object(parent_tree);

    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
    root.set("K", Object::Reference(document));
    root.set("ParentTree", Object::Reference(parent_tree));
    root.set("ParentTreeNextKey", Object::Integer(link_key_base + links.len() as i64));
    pdf.objects.insert(tree_root, Object::Dictionary(root));

    let catalog = pdf.catalog_mut().map_err(write_error)?;
    catalog.set("StructTreeRoot", Object::Reference(tree_root));
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", Object::Boolean(true));
    catalog.set("MarkInfo", Object::Dictionary(mark_info));
    let mut preferences = Dictionary::new();
    preferences.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(preferences));
    Ok(())
}

/// A single kid as itself, several as an array (both are valid; some checkers
/// read only the first form for a heading's one line of text).
fn one_or_array(mut kids: Vec<Object>) -> Object {
    if kids.len() == 1 {
        kids.remove(0)
    } else {
        Object::Array(kids)
    }
}

/// An attribute dictionary of owner `owner` with one entry.
fn attributes(owner: &str, key: &str, value: &str) -> Object {
    let mut attributes = Dictionary::new();
    attributes.set("O", Object::Name(owner.as_bytes().to_vec()));
    attributes.set(key, Object::Name(value.as_bytes().to_vec()));
    Object::Dictionary(attributes)
}
