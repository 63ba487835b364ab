//! Screenplay PDF as Final Draft prints it: 12 pt at 10 characters an inch and 6 lines an inch,
//! page breaks from [`super::pages`] (the one paginator the editor's page count uses too), page
//! numbers ("2.") top right from the second script page, scene numbers in both margins, and a
//! title page when the screenplay has one. US Letter, or A4 with the same rules.
//!
//! The font is embedded, subset to the characters used: Courier Prime (SIL OFL, the screenplay
//! Courier jumpcut ships) for what it covers, Liberation Mono (SIL OFL, Courier's metrics) for
//! Greek, Cyrillic and the rest of what it covers; every glyph advances exactly a tenth of an
//! inch. A character neither has is printed as `?` and named in [`PdfExport::missing`].
//!
//! jumpcut writes PDF too, but stamps the wall-clock time into every file; this writer is
//! byte-deterministic: no dates, the document ID a hash of the content, objects in a fixed order.
//! A bookmark per scene, title and author in the document information, an optional watermark
//! and header line.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::io::Write as _;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde::{Deserialize, Serialize};

use crate::fnv::Fnv;
use crate::fountain::{Element, Screenplay};

use super::pages::{self, emphasis, plain, Glyph, Paper, Style, Styled};
use super::title_field;

/// Points per inch.
const INCH: f32 = 72.0;
const FONT_SIZE: f32 = 12.0;
/// A tenth of an inch: every glyph's advance.
const CHAR_WIDTH: f32 = pages::CELL;
/// One line is 12 pt, a sixth of an inch.
const LINE: f32 = 12.0;
/// The baseline sits this far below the top of its 12 pt line.
const BASELINE: f32 = 9.0;
const TOP_MARGIN: f32 = INCH;
const ACTION_X: f32 = 1.5;
const ACTION_WIDTH: usize = 60;
const RIGHT_EDGE: f32 = 7.5;

/// What the writer asks of an export beyond the screenplay.
#[derive(ts_rs::TS, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PdfOptions {
    pub paper: Paper,
    /// Printed large and light across every page ("DRAFT").
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
    /// A line at the top left of every script page ("Blue revision, 1/20/2026").
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

/// The file and what it could not print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfExport {
    pub bytes: Vec<u8>,
    /// Body pages (the title page not counted).
    pub pages: usize,
    /// Characters no embedded font has, printed as `?`.
    pub missing: Vec<char>,
}

/// Writes `screenplay` as a US Letter PDF.
pub fn write(screenplay: &Screenplay<'_>) -> crate::Result<Vec<u8>> {
    Ok(export(screenplay, &PdfOptions::default())?.bytes)
}

/// Writes `screenplay` as a PDF: a title page if it has title page fields, then the script
/// (at least one page, even when there is nothing to print).
pub fn export(screenplay: &Screenplay<'_>, options: &PdfOptions) -> crate::Result<PdfExport> {
    let layout = pages::layout(screenplay, options.paper);
    let (width, height) = options.paper.size();
    let mut sheets: Vec<Sheet> = Vec::new();
    if let Some(title) = title_page(&screenplay.title_page, height) {
        sheets.push(Sheet {
            texts: title,
            scenes: Vec::new(),
        });
    }
    let body_pages = layout.pages.len();
    for (i, page) in layout.pages.into_iter().enumerate() {
        let mut texts: Vec<Text> = page
            .placed
            .into_iter()
            .map(|p| Text {
                y: TOP_MARGIN + LINE * p.row,
                x: p.x,
                text: p.text,
            })
            .collect();
        let header_y = INCH / 2.0;
        if i > 0 {
            let number = format!("{}.", i + 1);
            texts.push(Text {
                y: header_y,
                x: RIGHT_EDGE - CHAR_WIDTH * number.chars().count() as f32,
                text: plain(&number),
            });
        }
        if let Some(header) = options.header.as_deref().filter(|h| !h.trim().is_empty()) {
            let row = rows_of(header, ACTION_WIDTH - 8, Style::default())
                .into_iter()
                .next()
                .unwrap_or_default();
            texts.push(Text {
                y: header_y,
                x: ACTION_X,
                text: row,
            });
        }
        let scenes = page
            .scenes
            .iter()
            .filter_map(|&(el, row)| {
                let label = scene_label(screenplay.elements.get(el)?);
                Some((label, TOP_MARGIN + LINE * row))
            })
            .collect();
        sheets.push(Sheet { texts, scenes });
    }
    let watermark = options
        .watermark
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    let (bytes, missing) = render(&sheets, &screenplay.title_page, (width, height), watermark);
    Ok(PdfExport {
        bytes,
        pages: body_pages,
        missing,
    })
}

/// What a scene's bookmark says: its number (if any) and heading, without markup.
fn scene_label(el: &Element<'_>) -> String {
    let heading = strip_markup(el.text());
    match el {
        Element::SceneHeading {
            scene_number: Some(n),
            ..
        } => format!("{n} {heading}"),
        _ => heading,
    }
}

/// Text drawn on a page: `y` is the top of its line in points from the top of the page,
/// `x` in inches from the left edge.
#[derive(Debug, Clone)]
struct Text {
    y: f32,
    x: f32,
    text: Styled,
}

/// One page of the file, with the scenes starting on it (bookmark label, y).
struct Sheet {
    texts: Vec<Text>,
    scenes: Vec<(String, f32)>,
}

/// Word-wraps one styled line to `width` columns (for the title page and the header line).
fn wrap(line: &[Glyph], width: usize) -> Vec<Styled> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row: Styled = Vec::new();
    for word in line.split(|g| g.ch == ' ').filter(|w| !w.is_empty()) {
        if !row.is_empty() && row.len() + 1 + word.len() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(Glyph {
                ch: ' ',
                style: word[0].style,
            });
        }
        for chunk in word.chunks(width) {
            if row.len() + chunk.len() > width {
                rows.push(std::mem::take(&mut row));
            }
            row.extend_from_slice(chunk);
        }
    }
    rows.push(row);
    rows
}

/// The rows of a (possibly multi-line) text in a column `width` wide.
fn rows_of(text: &str, width: usize, base: Style) -> Vec<Styled> {
    text.split('\n')
        .flat_map(|line| wrap(&emphasis(line.trim_end(), base), width))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Title page

/// Title ~1/3 down and centered, then the credit, author(s) and source; contact and draft
/// date at the bottom left. `None` when the screenplay has no title page fields.
fn title_page(fields: &[(String, String)], page_height: f32) -> Option<Vec<Text>> {
    if fields.is_empty() {
        return None;
    }
    let get = |key: &str| title_field(fields, key);
    let mut placed = Vec::new();
    let mut y = 3.5 * INCH;
    let mut centered = |text: &str, y: &mut f32| {
        for row in rows_of(text, ACTION_WIDTH, Style::default()) {
            let pad = (ACTION_WIDTH - row.len().min(ACTION_WIDTH)) as f32 / 2.0;
            placed.push(Text {
                y: *y,
                x: ACTION_X + CHAR_WIDTH * pad,
                text: row,
            });
            *y += LINE;
        }
        *y += LINE;
    };
    if let Some(title) = get("title") {
        centered(title, &mut y);
    }
    y += LINE;
    let authors = get("authors").or(get("author"));
    if authors.is_some() {
        centered(get("credit").unwrap_or("Written by"), &mut y);
    }
    for value in [authors, get("source")].into_iter().flatten() {
        centered(value, &mut y);
    }
    let bottom: Vec<Styled> = [get("contact"), get("draftDate"), get("copyright")]
        .into_iter()
        .flatten()
        .flat_map(|v| {
            let mut rows = rows_of(v, 35, Style::default());
            rows.push(Vec::new());
            rows
        })
        .collect();
    let mut y = page_height * INCH - INCH - LINE * bottom.len().saturating_sub(1) as f32;
    for row in bottom {
        placed.push(Text {
            y,
            x: ACTION_X,
            text: row,
        });
        y += LINE;
    }
    Some(placed)
}

// ---------------------------------------------------------------------------------------
// Fonts

/// Courier Prime first, Liberation Mono for what it lacks; in each, regular, bold, italic,
/// bold italic.
const FACES: [(&str, &[u8]); 8] = [
    (
        "CourierPrime",
        include_bytes!("../../assets/fonts/CourierPrime-Regular.ttf"),
    ),
    (
        "CourierPrime-Bold",
        include_bytes!("../../assets/fonts/CourierPrime-Bold.ttf"),
    ),
    (
        "CourierPrime-Italic",
        include_bytes!("../../assets/fonts/CourierPrime-Italic.ttf"),
    ),
    (
        "CourierPrime-BoldItalic",
        include_bytes!("../../assets/fonts/CourierPrime-BoldItalic.ttf"),
    ),
    (
        "LiberationMono",
        include_bytes!("../../assets/fonts/LiberationMono-Regular.ttf"),
    ),
    (
        "LiberationMono-Bold",
        include_bytes!("../../assets/fonts/LiberationMono-Bold.ttf"),
    ),
    (
        "LiberationMono-Italic",
        include_bytes!("../../assets/fonts/LiberationMono-Italic.ttf"),
    ),
    (
        "LiberationMono-BoldItalic",
        include_bytes!("../../assets/fonts/LiberationMono-BoldItalic.ttf"),
    ),
];
const FONT_KEYS: [&[u8]; 8] = [b"F1", b"F2", b"F3", b"F4", b"F5", b"F6", b"F7", b"F8"];
/// Liberation Mono's faces come after Courier Prime's four.
const FALLBACK: usize = 4;
/// Every glyph advances 600/1000 em: 7.2 pt at 12 pt, a tenth of an inch.
const ADVANCE: f32 = 600.0;

/// The parsed faces, each with the characters it will draw.
struct Fonts {
    faces: Vec<Option<ttf_parser::Face<'static>>>,
    used: Vec<BTreeSet<char>>,
    missing: BTreeSet<char>,
}

impl Fonts {
    fn new() -> Self {
        Fonts {
            faces: FACES
                .iter()
                .map(|(_, bytes)| ttf_parser::Face::parse(bytes, 0).ok())
                .collect(),
            used: vec![BTreeSet::new(); FACES.len()],
            missing: BTreeSet::new(),
        }
    }

    fn has(&self, face: usize, ch: char) -> bool {
        self.faces
            .get(face)
            .and_then(Option::as_ref)
            .is_some_and(|f| f.glyph_index(ch).is_some())
    }

    /// The face that draws `ch` in `style`, and the character it draws (`?` when none can).
    fn pick(&mut self, ch: char, style: Style) -> (usize, char) {
        let styled = usize::from(style.bold) + 2 * usize::from(style.italic);
        let (face, ch) = if ch == ' ' || self.has(styled, ch) {
            (styled, ch)
        } else if self.has(FALLBACK + styled, ch) {
            (FALLBACK + styled, ch)
        } else {
            if !ch.is_control() {
                self.missing.insert(ch);
            }
            (styled, '?')
        };
        if let Some(set) = self.used.get_mut(face) {
            set.insert(ch);
        }
        (face, ch)
    }

    /// Each face's CIDs: a character's rank among the face's characters, from 1.
    fn cids(&self) -> Vec<BTreeMap<char, u16>> {
        self.used
            .iter()
            .map(|set| {
                set.iter()
                    .zip(1..=u16::MAX)
                    .map(|(c, cid)| (*c, cid))
                    .collect()
            })
            .collect()
    }
}

/// CIDs of the characters in one face.
type Cids = [BTreeMap<char, u16>];

/// A run of text in one face, placed.
struct Run {
    face: usize,
    x: f32,
    baseline: f32,
    chars: Vec<char>,
    underline: bool,
}

fn runs(sheet: &Sheet, page_height: f32, fonts: &mut Fonts) -> Vec<Run> {
    let mut out = Vec::new();
    for text in &sheet.texts {
        let baseline = page_height * INCH - text.y - BASELINE;
        for (col, g) in text.text.iter().enumerate() {
            let (face, ch) = fonts.pick(g.ch, g.style);
            let x = (text.x + CHAR_WIDTH * col as f32) * INCH;
            match out.last_mut() {
                Some(Run {
                    face: f,
                    baseline: b,
                    chars,
                    underline,
                    ..
                }) if *f == face
                    && *b == baseline
                    && *underline == g.style.underline
                    && col > 0 =>
                {
                    chars.push(ch)
                }
                _ => out.push(Run {
                    face,
                    x,
                    baseline,
                    chars: vec![ch],
                    underline: g.style.underline,
                }),
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// PDF

/// Object ids, handed out in a fixed order.
struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

fn render(
    sheets: &[Sheet],
    title_page: &[(String, String)],
    (width, height): (f32, f32),
    watermark: Option<&str>,
) -> (Vec<u8>, Vec<char>) {
    let mut fonts = Fonts::new();
    let mut page_runs: Vec<Vec<Run>> = sheets.iter().map(|s| runs(s, height, &mut fonts)).collect();
    let watermark_runs: Vec<(usize, char)> = watermark
        .map(|w| {
            w.chars()
                .map(|c| {
                    fonts.pick(
                        c,
                        Style {
                            bold: true,
                            ..Style::default()
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();

    let mut ids = Ids(0);
    let catalog_id = ids.next();
    let tree_id = ids.next();
    let info_id = ids.next();
    let outline_id = ids.next();
    let gs_id = ids.next();
    let font_ids: Vec<[Ref; 6]> = (0..FACES.len())
        .map(|_| std::array::from_fn(|_| ids.next()))
        .collect();
    let page_ids: Vec<(Ref, Ref)> = sheets.iter().map(|_| (ids.next(), ids.next())).collect();
    let bookmarks: Vec<(usize, &str, f32, Ref)> = sheets
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.scenes.iter().map(move |(l, y)| (i, l.as_str(), *y)))
        .map(|(i, l, y)| (i, l, y, ids.next()))
        .collect();

    let mut pdf = Pdf::new();
    {
        let mut catalog = pdf.catalog(catalog_id);
        catalog.pages(tree_id);
        if !bookmarks.is_empty() {
            catalog.outlines(outline_id);
            catalog.page_mode(pdf_writer::types::PageMode::UseOutlines);
        }
    }
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(page_ids.len() as i32);
    {
        let mut info = pdf.document_info(info_id);
        info.producer(TextStr("FountainAI Studio"));
        let field = |key: &str| title_field(title_page, key);
        if let Some(title) = field("title") {
            info.title(TextStr(&strip_markup(title)));
        }
        if let Some(author) = super::AUTHOR_KEYS.iter().find_map(|k| field(k)) {
            info.author(TextStr(&strip_markup(author)));
        }
    }
    if let (Some(first), Some(last)) = (bookmarks.first(), bookmarks.last()) {
        pdf.outline(outline_id)
            .first(first.3)
            .last(last.3)
            .count(bookmarks.len() as i32);
        for (n, &(page, label, y, id)) in bookmarks.iter().enumerate() {
            let mut item = pdf.outline_item(id);
            item.title(TextStr(label)).parent(outline_id);
            if n > 0 {
                item.prev(bookmarks[n - 1].3);
            }
            if let Some(next) = bookmarks.get(n + 1) {
                item.next(next.3);
            }
            item.dest()
                .page(page_ids[page].0)
                .xyz(0.0, height * INCH - y + LINE, None);
        }
    }
    pdf.ext_graphics(gs_id)
        .non_stroking_alpha(0.15)
        .stroking_alpha(0.15);
    for (face, ids) in font_ids.iter().enumerate() {
        write_font(&mut pdf, &fonts, face, *ids);
    }
    let mut hash = Fnv::default();
    let cid_maps = fonts.cids();
    for ((page, content_id), runs) in page_ids.iter().zip(page_runs.iter_mut()) {
        let mut content = page_content(runs, &cid_maps);
        if !watermark_runs.is_empty() {
            content.extend(watermark_content(
                &watermark_runs,
                &cid_maps,
                (width, height),
            ));
        }
        hash.write(&content);
        let mut p = pdf.page(*page);
        p.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, width * INCH, height * INCH))
            .contents(*content_id);
        let mut resources = p.resources();
        resources.ext_g_states().pair(Name(b"GS1"), gs_id);
        let mut font_dict = resources.fonts();
        for (key, ids) in FONT_KEYS.iter().zip(&font_ids) {
            font_dict.pair(Name(key), ids[0]);
        }
        font_dict.finish();
        resources.finish();
        p.finish();
        pdf.stream(*content_id, &content);
    }
    // A fixed ID derived from the content: the same screenplay always gives the same file.
    let id = Hasher::finish(&hash).to_be_bytes().to_vec();
    pdf.set_file_id((id.clone(), id));
    (pdf.finish(), fonts.missing.into_iter().collect())
}

const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// One face as a Type 0 font over a CID TrueType font, subset to the characters used.
/// `ids`: the Type 0 font, CID font, descriptor, font file, ToUnicode CMap and CIDToGID map.
fn write_font(pdf: &mut Pdf, fonts: &Fonts, face: usize, ids: [Ref; 6]) {
    let (name, bytes) = FACES[face];
    let chars: Vec<char> = fonts.used[face].iter().copied().collect();
    let parsed = fonts.faces[face].as_ref();
    let mut remapper = subsetter::GlyphRemapper::new();
    let gids: Vec<u16> = chars
        .iter()
        .map(|&c| {
            parsed
                .and_then(|f| f.glyph_index(c))
                .map_or(0, |g| remapper.remap(g.0))
        })
        .collect();
    // The subset's tag names the characters it holds, so it is the same for the same text.
    let mut tag_hash = Fnv::default();
    for c in &chars {
        tag_hash.write_u32(*c as u32);
    }
    let tag: String = (0..6)
        .map(|i| (b'A' + ((Hasher::finish(&tag_hash) >> (5 * i)) % 26) as u8) as char)
        .collect();
    let base = format!("{tag}+{name}");
    let base = Name(base.as_bytes());
    let [type0, cid_id, descriptor_id, file_id, cmap_id, map_id] = ids;
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_id)
        .default_width(ADVANCE);
    let mut map = Vec::with_capacity(2 * (chars.len() + 1));
    map.extend_from_slice(&[0, 0]);
    for g in &gids {
        map.extend_from_slice(&g.to_be_bytes());
    }
    cid.cid_to_gid_map_stream(map_id);
    cid.finish();
    let scale = parsed.map_or(1.0, |f| 1000.0 / f32::from(f.units_per_em().max(1)));
    let metric = |v: Option<i16>| v.map_or(0.0, |v| f32::from(v) * scale);
    let bbox = parsed.map(|f| f.global_bounding_box());
    let mut flags = FontFlags::FIXED_PITCH | FontFlags::NON_SYMBOLIC;
    if name.contains("Italic") {
        flags |= FontFlags::ITALIC;
    }
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .flags(flags)
        .bbox(bbox.map_or(Rect::new(0.0, -300.0, 600.0, 900.0), |b| {
            Rect::new(
                f32::from(b.x_min) * scale,
                f32::from(b.y_min) * scale,
                f32::from(b.x_max) * scale,
                f32::from(b.y_max) * scale,
            )
        }))
        .italic_angle(parsed.map_or(0.0, |f| f.italic_angle()))
        .ascent(metric(parsed.map(|f| f.ascender())))
        .descent(metric(parsed.map(|f| f.descender())))
        .cap_height(metric(parsed.and_then(|f| f.capital_height())))
        .stem_v(80.0)
        .font_file2(file_id);
    // The CID of a character is its rank; the map gives the glyph it has in the subset.
    pdf.stream(map_id, &map);
    let font_data = subsetter::subset(bytes, 0, &remapper).unwrap_or_default();
    let compressed = deflate(&font_data);
    pdf.stream(file_id, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), font_data.len() as i32);
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (i, c) in chars.iter().enumerate() {
        if let Ok(cid) = u16::try_from(i + 1) {
            cmap.pair(cid, *c);
        }
    }
    pdf.stream(cmap_id, &cmap.finish());
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into memory cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

fn cids(cids: &Cids, face: usize, chars: &[char]) -> Vec<u8> {
    let map = cids.get(face);
    chars
        .iter()
        .flat_map(|c| {
            map.and_then(|m| m.get(c))
                .copied()
                .unwrap_or(0)
                .to_be_bytes()
        })
        .collect()
}

fn page_content(runs: &[Run], fonts: &Cids) -> Vec<u8> {
    let mut content = Content::new();
    let mut underlines = Vec::new();
    content.begin_text();
    let mut font = usize::MAX;
    for run in runs {
        if run.face != font {
            content.set_font(Name(FONT_KEYS[run.face]), FONT_SIZE);
            font = run.face;
        }
        content.set_text_matrix([1.0, 0.0, 0.0, 1.0, run.x, run.baseline]);
        content.show(Str(&cids(fonts, run.face, &run.chars)));
        if run.underline {
            let end = run.x + CHAR_WIDTH * INCH * run.chars.len() as f32;
            underlines.push((run.x, end, run.baseline));
        }
    }
    content.end_text();
    if !underlines.is_empty() {
        content.set_line_width(0.6);
        for (x0, x1, y) in underlines {
            content.move_to(x0, y - 1.5).line_to(x1, y - 1.5);
        }
        content.stroke();
    }
    content.finish().into_vec()
}

/// The watermark: large, light grey, diagonal across the page's centre.
fn watermark_content(chars: &[(usize, char)], fonts: &Cids, (w, h): (f32, f32)) -> Vec<u8> {
    let size = 72.0_f32;
    let length = chars.len() as f32 * size * ADVANCE / 1000.0;
    let (cos, sin) = (
        std::f32::consts::FRAC_1_SQRT_2,
        std::f32::consts::FRAC_1_SQRT_2,
    );
    let (cx, cy) = (w * INCH / 2.0, h * INCH / 2.0);
    let x = cx - cos * length / 2.0 + sin * size / 3.0;
    let y = cy - sin * length / 2.0 - cos * size / 3.0;
    let mut content = Content::new();
    content.save_state();
    content.set_parameters(Name(b"GS1"));
    content.set_fill_gray(0.5);
    content.begin_text();
    content.set_text_matrix([cos, sin, -sin, cos, x, y]);
    for run in chars.chunk_by(|a, b| a.0 == b.0) {
        content.set_font(Name(FONT_KEYS[run[0].0]), size);
        let text: Vec<char> = run.iter().map(|(_, c)| *c).collect();
        content.show(Str(&cids(fonts, run[0].0, &text)));
    }
    content.end_text();
    content.restore_state();
    content.finish().into_vec()
}

/// Title page text without emphasis markers, for the document information.
fn strip_markup(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            emphasis(l, Style::default())
                .into_iter()
                .map(|g| g.ch)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
