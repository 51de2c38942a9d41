//! Writes a deterministic Markdown report of about N pages to stdout, for `make bench`.
//!
//! `cargo run --release --example bench_doc -- 20 > bench-20.md`
//! The prose is realistic (curly quotes, dashes, €, é, links), with headings,
//! lists and a statistics table, so the benchmark exercises the whole typesetter.
//! `bench_doc 230 mixed` adds what long reports have more of: footnotes, nested
//! lists and long six-column tables that run over pages (about 250 pages).

const SENTENCES: &[&str] = &[
    "MI5’s Director General reported a 35 per cent rise in the number of individuals investigated for state-threat activity.",
    "Since the start of 2020, MI5 and the police have disrupted 19 late-stage attack plots – a figure that has drawn the board’s attention.",
    "States are “descending into ugly methods” more often seen in terrorism casework, including surveillance, sabotage and arson.",
    "Proxies are recruited on social media, instructed through encrypted apps and paid in cryptocurrency; few are professionals.",
    "The National Protective Security Authority has issued guidance on espionage and foreign interference for parliamentarians.",
    "Our café suppliers, résumé screening and visitor management all sit within the scope of the insider-risk review.",
    "Losses from the three retail incidents are estimated at €4.2 million each, though the figures remain provisional.",
    "The National Cyber Security Centre’s annual review pointed to high-profile attacks on well-known retailers and manufacturers.",
    "A steady stream of attempts to lure academic experts suggests that research partnerships need clearer rules of engagement.",
    "Directors should ask whether controls written for espionage by professionals still fit tasks handed to paid amateurs.",
    "The committee noted that the figures are national, not sector-specific, and asked for a view on our own exposure.",
    "Efficient reporting lines matter: staff who are approached online should know whom to tell, and how quickly.",
];

const WORDS: &[&str] = &["insider", "proxy", "espionage", "sabotage", "partnership", "guidance", "exposure", "resilience"];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn paragraph(rng: &mut Lcg, sentences: usize) -> String {
    (0..sentences).map(|_| SENTENCES[rng.next(SENTENCES.len())]).collect::<Vec<_>>().join(" ")
}

fn main() {
    let pages: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let mixed = std::env::args().nth(2).as_deref() == Some("mixed");
    let mut rng = Lcg(42);
    let mut notes = String::new();
    let mut note = 0;
    let mut out = String::from("# Quarterly threat briefing: benchmark edition\n\n");
    out.push_str(&paragraph(&mut rng, 4));
    out.push_str("\n\n");
    for page in 1..=pages {
        out.push_str(&format!("## {page}. {} and {}\n\n", capitalise(WORDS[rng.next(WORDS.len())]), WORDS[rng.next(WORDS.len())]));
        for _ in 0..4 {
            let sentences = 3 + rng.next(3);
            out.push_str(&paragraph(&mut rng, sentences));
            if mixed {
                note += 1;
                out.push_str(&format!("[^n{note}]"));
                notes.push_str(&format!("[^n{note}]: {}\n\n", SENTENCES[rng.next(SENTENCES.len())]));
            }
            out.push_str("\n\n");
        }
        out.push_str(&format!(
            "See the [NCSC guidance](https://www.ncsc.gov.uk/collection/board-toolkit) and [NPSA advice](https://www.npsa.gov.uk) before the {} review.\n\n",
            WORDS[rng.next(WORDS.len())]
        ));
        for i in 1..=3 {
            out.push_str(&format!("{i}. {}\n", SENTENCES[rng.next(SENTENCES.len())]));
        }
        out.push('\n');
        if mixed {
            for i in 0..4 {
                out.push_str(&format!("- {}\n", SENTENCES[rng.next(SENTENCES.len())]));
                if i % 2 == 0 {
                    out.push_str(&format!("  - {} review\n  - {} owner\n", capitalise(WORDS[rng.next(WORDS.len())]), capitalise(WORDS[rng.next(WORDS.len())])));
                }
            }
            out.push('\n');
        }
        if mixed && page % 8 == 3 {
            out.push_str("### Incidents by region\n\n| Region | Sector | Reported | Confirmed | Change | Assessment |\n|:--|:--|--:|--:|--:|:--|\n");
            for row in 0..(60 + rng.next(60)) {
                out.push_str(&format!(
                    "| Region {} | {} | {} | {} | {}.{}% | {} |\n",
                    row + 1,
                    capitalise(WORDS[rng.next(WORDS.len())]),
                    1_000 + rng.next(90_000),
                    100 + rng.next(900),
                    rng.next(40),
                    rng.next(10),
                    ["Likely", "Highly likely", "Realistic possibility", "Unlikely"][rng.next(4)]
                ));
            }
            out.push('\n');
        }
        if page % 10 == 5 {
            out.push_str("### Statistics\n\n| Measure | Value | Period | Source |\n|:--|--:|:--|:--|\n");
            for row in 0..(20 + rng.next(40)) {
                out.push_str(&format!(
                    "| {} incidents, region {} | {} | year to Oct 2025 | Survey {} |\n",
                    capitalise(WORDS[rng.next(WORDS.len())]),
                    row + 1,
                    100 + rng.next(9000),
                    rng.next(12) + 1
                ));
            }
            out.push('\n');
        }
    }
    out.push_str(&notes);
    print!("{out}");
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
