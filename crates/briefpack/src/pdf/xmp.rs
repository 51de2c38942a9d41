//! The XMP metadata packet: the document information again in XML, with the
//! claims a reader or validator looks for: PDF/UA-1 always, PDF/A-2 level A for
//! archival output. Every value mirrors the information dictionary exactly, as
//! PDF/A requires (dates included: both come from the document, never the clock).

use super::PdfMetadata;

/// The language written when the document names none.
pub const DEFAULT_LANGUAGE: &str = "en-GB";

/// The packet for `meta`, whose information dictionary has `keywords` as written.
pub(super) fn packet(meta: &PdfMetadata, language: &str, keywords: &str) -> Vec<u8> {
    let mut description = String::new();
    let mut line = |text: String| {
        description.push_str("   ");
        description.push_str(&text);
        description.push('\n');
    };
    line("<dc:format>application/pdf</dc:format>".into());
    line(format!(r#"<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>"#, escape(&meta.title)));
    if !meta.author.is_empty() {
        line(format!("<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>", escape(&meta.author)));
    }
    if !meta.subject.is_empty() {
        line(format!(r#"<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:description>"#, escape(&meta.subject)));
    }
    line(format!("<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>", escape(language)));
    line("<pdf:Producer>Briefpack</pdf:Producer>".into());
    if !keywords.is_empty() {
        line(format!("<pdf:Keywords>{}</pdf:Keywords>", escape(keywords)));
    }
    line("<xmp:CreatorTool>Briefpack</xmp:CreatorTool>".into());
    if let Some(date) = meta.date {
        let stamp = date.format("%Y-%m-%dT00:00:00+00:00");
        line(format!("<xmp:CreateDate>{stamp}</xmp:CreateDate>"));
        line(format!("<xmp:ModifyDate>{stamp}</xmp:ModifyDate>"));
        line(format!("<xmp:MetadataDate>{stamp}</xmp:MetadataDate>"));
    }
    line("<pdfuaid:part>1</pdfuaid:part>".into());
    if meta.archival {
        line("<pdfaid:part>2</pdfaid:part>".into());
        line("<pdfaid:conformance>A</pdfaid:conformance>".into());
    }
    // PDF/A accepts only the namespaces it predefines unless the file describes the
    // others; the PDF/UA identification is one of those.
    line(concat!(
        "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">",
        "<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>",
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>",
        "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
        "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">",
        "<pdfaProperty:name>part</pdfaProperty:name>",
        "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>",
        "<pdfaProperty:category>internal</pdfaProperty:category>",
        "<pdfaProperty:description>The part of ISO 14289 the file conforms to</pdfaProperty:description>",
        "</rdf:li></rdf:Seq></pdfaSchema:property>",
        "</rdf:li></rdf:Bag></pdfaExtension:schemas>"
    )
    .into());
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "  <rdf:Description rdf:about=\"\"\n",
            "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n",
            "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n",
            "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n",
            "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n",
            "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n",
            "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n",
            "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n",
            "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n",
            "{}",
            "  </rdf:Description>\n",
            " </rdf:RDF>\n",
            "</x:xmpmeta>\n",
            "<?xpacket end=\"r\"?>"
        ),
        description
    )
    .into_bytes()
}

/// Text as XML character data: markup characters escaped, characters XML forbids
/// (controls other than tab and newline) left out.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_claims_follow_the_request() {
        let meta = PdfMetadata { title: "Risk & <Response>\u{7}".into(), archival: true, ..PdfMetadata::default() };
        let xml = String::from_utf8(packet(&meta, "cy", "")).unwrap();
        assert!(xml.contains("Risk &amp; &lt;Response&gt;</rdf:li>"), "{xml}");
        assert!(xml.contains("<rdf:li>cy</rdf:li>"));
        assert!(xml.contains("<pdfuaid:part>1</pdfuaid:part>"));
        assert!(xml.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        let plain = String::from_utf8(packet(&PdfMetadata::default(), DEFAULT_LANGUAGE, "")).unwrap();
        assert!(!plain.contains("pdfaid:part"));
        assert!(!plain.contains("CreateDate"), "an undated document has no dates");
    }
}
