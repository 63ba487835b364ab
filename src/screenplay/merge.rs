//! The editor's text merged with a script that changed meanwhile (the CLI, another window):
//! a three-way merge over scenes between the text the editor loaded (base), the writer's text
//! (mine) and the stored text (theirs). A scene changed on one side only takes that side; a
//! scene changed on both keeps the other version, and the writer's changed lines become alts
//! of the lines they stand beside, so neither writer's words are lost.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp, TextDiff};
use sqlx::AnyConnection;
use tracing::instrument;

use super::scenes::{self, Line, Scene};
use super::sync::{self, SyncSummary};
use crate::characters::{self, Paraphrase};
use crate::db::Database;
use crate::error::Result;
use crate::scripts::{self, ElementKind};
use crate::sequence::ElementType;

/// What merging the editor's text did: the sync's counts and the new revision, the merged
/// text (what the editor shows from now on), and the scenes both sides had changed.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeSummary {
    pub sync: SyncSummary,
    pub text: String,
    /// The script had changed since the writer's text was loaded, so the two were merged
    /// (false: the text was saved as it is).
    pub merged: bool,
    /// The scenes another writer changed since, by the scenes' revisions, in script order.
    pub changed_elsewhere: Vec<ChangedScene>,
    pub both_changed: Vec<MergedScene>,
    /// Both sides changed the same line of the title page: the other writer's stands, this
    /// writer's beside it (`KEY your version`).
    pub title_page_both: bool,
    /// Set when the writer changed lines another writer had changed too: saving those lines
    /// was refused (code `conflict`); the other writer's lines stand and the writer's are
    /// their alts (`both_changed`). Everything else was saved.
    pub conflict: Option<LineConflict>,
}

/// A scene another writer changed since the editor's text was loaded.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ChangedScene {
    pub heading_id: i64,
    pub title: String,
    pub revision: i64,
}

/// The lines of a save refused because another writer changed them first.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineConflict {
    /// Always `conflict`, the code a refused save has everywhere.
    pub code: String,
    pub message: String,
}

/// A scene both sides changed: the other version stands, the writer's lines are its alts.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergedScene {
    pub heading_id: i64,
    pub title: String,
    pub alts: Vec<Paraphrase>,
}

/// The editor's save: its text, and the text and script revision it was written from.
#[derive(ts_rs::TS, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditorSave {
    pub text: String,
    pub base_text: String,
    pub base_revision: i64,
}

/// The commentary on an alt the merge kept.
pub const KEPT_ALT: &str = "Your version, kept when merging with a change made elsewhere";

/// Saves the editor's text. When the script is still at the revision the text was written
/// from, the text is stored as it is; when another writer (or window, or the command line)
/// changed it since, the two are merged as [`merge_text`] does, in the same transaction, and
/// the answer says which scenes changed elsewhere and which of the writer's lines became alts.
#[instrument(skip(db, save), fields(base_revision = save.base_revision), err)]
pub async fn save_text(db: &Database, script_id: i64, save: &EditorSave) -> Result<MergeSummary> {
    sync::check_text(&save.text)?;
    sync::check_text(&save.base_text)?;
    let mut tx = db.begin().await?;
    let script = sync::lock_script(&mut tx, script_id).await?;
    let summary = if script.revision == save.base_revision {
        let sync = sync::sync_in(&mut tx, &script, &save.text).await?;
        MergeSummary {
            sync,
            text: save.text.clone(),
            merged: false,
            changed_elsewhere: Vec::new(),
            both_changed: Vec::new(),
            title_page_both: false,
            conflict: None,
        }
    } else {
        let elsewhere = changed_since(&mut tx, script_id, save.base_revision).await?;
        let mut summary = merge_in(&mut tx, &script, &save.base_text, &save.text).await?;
        summary.changed_elsewhere = elsewhere;
        summary
    };
    tx.commit().await?;
    Ok(summary)
}

/// Merges the editor's text (`mine`, written from `base`, the text it loaded) with the script
/// as stored now, in one transaction: what changed on one side only is taken from that side;
/// a scene changed on both keeps the stored version, with the writer's lines as alts.
#[instrument(skip(db, base, mine), err)]
pub async fn merge_text(
    db: &Database,
    script_id: i64,
    base: &str,
    mine: &str,
) -> Result<MergeSummary> {
    sync::check_text(base)?;
    sync::check_text(mine)?;
    let mut tx = db.begin().await?;
    let script = sync::lock_script(&mut tx, script_id).await?;
    let summary = merge_in(&mut tx, &script, base, mine).await?;
    tx.commit().await?;
    Ok(summary)
}

async fn merge_in(
    tx: &mut AnyConnection,
    script: &scripts::Script,
    base: &str,
    mine: &str,
) -> Result<MergeSummary> {
    let script_id = script.script_id;
    let (title_page, stored) = super::stored_script(tx, script_id).await?;
    let theirs = super::source::fountain_text(tx, title_page, &stored, script_id).await?;
    let merged = merge(base, mine, &theirs);
    let mut summary = sync::sync_in(tx, script, &merged.text).await?;
    let both_changed = keep_alts(tx, script_id, &merged.both_changed).await?;
    if both_changed.iter().any(|s| !s.alts.is_empty()) {
        scripts::touch(tx, script_id).await?;
        summary.revision = scripts::fetch_script(tx, script_id).await?.revision;
    }
    let conflict = line_conflict(&both_changed, merged.title_page_both);
    Ok(MergeSummary {
        sync: summary,
        text: merged.text,
        merged: true,
        changed_elsewhere: Vec::new(),
        both_changed,
        title_page_both: merged.title_page_both,
        conflict,
    })
}

/// The scenes whose revision is newer than `revision`, in script order.
async fn changed_since(
    conn: &mut AnyConnection,
    script_id: i64,
    revision: i64,
) -> Result<Vec<ChangedScene>> {
    Ok(sqlx::query_as(
        "SELECT heading_id, title, revision FROM section_headings \
         WHERE script_id = $1 AND revision > $2 ORDER BY sequence_number, heading_id",
    )
    .bind(script_id)
    .bind(revision)
    .fetch_all(&mut *conn)
    .await?)
}

/// What the writer is told when some of their lines were refused.
fn line_conflict(both: &[MergedScene], title_page_both: bool) -> Option<LineConflict> {
    let lines: usize = both.iter().map(|s| s.alts.len()).sum();
    if lines == 0 && !title_page_both {
        return None;
    }
    let scenes: Vec<&str> = both
        .iter()
        .filter(|s| !s.alts.is_empty())
        .map(|s| s.title.as_str())
        .collect();
    let mut message = String::new();
    if lines > 0 {
        let noun = if lines == 1 { "line" } else { "lines" };
        message.push_str(&format!(
            "{lines} {noun} you changed in {} had been changed by another writer too: \
             theirs stand, yours are kept as their alts",
            scenes.join(", ")
        ));
    }
    if title_page_both {
        if !message.is_empty() {
            message.push_str("; ");
        }
        message.push_str(
            "the title page had been changed by another writer too: theirs stands, with your \
             version of each line beside it",
        );
    }
    Some(LineConflict {
        code: "conflict".into(),
        message,
    })
}

/// The writer's lines of scenes both sides changed, as alts of the stored lines.
async fn keep_alts(
    conn: &mut AnyConnection,
    script_id: i64,
    both: &[BothChanged],
) -> Result<Vec<MergedScene>> {
    let stored = scenes::load(conn, script_id).await?;
    let mut out = Vec::with_capacity(both.len());
    for scene in both {
        let Some(s) = stored.get(scene.scene) else {
            continue;
        };
        let mut alts = Vec::with_capacity(scene.alts.len());
        for kept in &scene.alts {
            let (Some(id), Some(target)) = (s.element_ids.get(kept.at), s.scene.lines.get(kept.at))
            else {
                continue;
            };
            let text = match &kept.line.character {
                Some(name) if target.character.as_ref() != Some(name) => {
                    format!("{name}: {}", kept.line.text)
                }
                _ => kept.line.text.clone(),
            };
            if text.trim().is_empty() {
                continue;
            }
            let ty = target.kind.element_type();
            alts.push(characters::insert_paraphrase(conn, ty, *id, &text, KEPT_ALT).await?);
        }
        out.push(MergedScene {
            heading_id: s.heading_id,
            title: scene.title.clone(),
            alts,
        });
    }
    Ok(out)
}

/// One text cut into what comes before the first scene (the title page) and its scenes, each
/// with the source text it was read from.
struct Cut<'a> {
    head: &'a str,
    scenes: Vec<Scene>,
    texts: Vec<&'a str>,
    /// Where each line of each scene starts in that scene's text (bytes).
    line_starts: Vec<Vec<usize>>,
}

fn cut(text: &str) -> Cut<'_> {
    let screenplay = crate::fountain::parse(text);
    let (scenes, starts) = scenes::read(&screenplay);
    let offsets = line_offsets(text);
    let offset_of = |line: usize| {
        line.checked_sub(1)
            .and_then(|i| offsets.get(i).copied())
            .unwrap_or(text.len())
    };
    let mut bounds: Vec<usize> = starts
        .iter()
        .map(|s| {
            let line = if s.heading > 0 {
                s.heading
            } else {
                s.lines.first().copied().unwrap_or(0)
            };
            offset_of(line)
        })
        .collect();
    // Keep the cuts in order whatever the parser said.
    for i in 1..bounds.len() {
        bounds[i] = bounds[i].max(bounds[i - 1]);
    }
    let first = bounds.first().copied().unwrap_or(text.len());
    let line_starts = starts
        .iter()
        .zip(&bounds)
        .map(|(s, from)| {
            s.lines
                .iter()
                .map(|line| offset_of(*line).saturating_sub(*from))
                .collect()
        })
        .collect();
    let texts = bounds
        .iter()
        .enumerate()
        .map(|(i, from)| &text[*from..bounds.get(i + 1).copied().unwrap_or(text.len())])
        .collect();
    Cut {
        head: &text[..first],
        scenes,
        texts,
        line_starts,
    }
}

/// The byte offset of each line's start.
fn line_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![0];
    offsets.extend(text.match_indices('\n').map(|(at, _)| at + 1));
    offsets
}

/// What the merge made: the text to store, and the scenes both sides changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Merged {
    pub text: String,
    pub both_changed: Vec<BothChanged>,
    /// Both sides changed a line of the title page: the other one stays, the writer's beside it.
    pub title_page_both: bool,
}

/// A scene both sides changed: the other version stands in `text` as scene `scene`, and each
/// of the writer's lines that it lacks goes in as an alt of the line at `alts[i].at`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BothChanged {
    pub scene: usize,
    pub title: String,
    pub alts: Vec<KeptLine>,
}

/// One of the writer's lines, kept as an alt of line `at` (0-based within the merged scene).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct KeptLine {
    pub at: usize,
    pub line: Line,
}

type Key<'a> = (&'a str, Option<&'a str>, bool, &'a [Line]);

fn key(scene: &Scene) -> Key<'_> {
    (
        &scene.title,
        scene.scene_number.as_deref(),
        scene.untitled,
        &scene.lines,
    )
}

/// Numbers for scenes: equal scenes get equal numbers, so the diff can compare them.
fn numbered<'a>(sides: [&'a [Scene]; 3]) -> [Vec<usize>; 3] {
    let mut numbers: HashMap<Key<'a>, usize> = HashMap::new();
    sides.map(|scenes| {
        scenes
            .iter()
            .map(|s| {
                let next = numbers.len();
                *numbers.entry(key(s)).or_insert(next)
            })
            .collect()
    })
}

/// For each item of `a`, the item of `b` the diff keeps equal to it.
fn equal_to<T: Hash + Eq>(a: &[T], b: &[T]) -> Vec<Option<usize>> {
    let mut numbers: HashMap<&T, usize> = HashMap::new();
    let mut number = |item| {
        let next = numbers.len();
        *numbers.entry(item).or_insert(next)
    };
    let (ak, bk): (Vec<usize>, Vec<usize>) = (
        a.iter().map(&mut number).collect(),
        b.iter().map(&mut number).collect(),
    );
    let mut matched = vec![None; a.len()];
    for op in capture_diff_slices(Algorithm::Myers, &ak, &bk) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for i in 0..len {
                matched[old_index + i] = Some(new_index + i);
            }
        }
    }
    matched
}

/// The merged text being written, scene by scene.
#[derive(Default)]
struct Out {
    merged: Merged,
    scenes: usize,
}

impl Out {
    fn push(&mut self, text: &str) {
        if !self.merged.text.is_empty() && !self.merged.text.ends_with("\n\n") {
            let missing = if self.merged.text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            self.merged.text.push_str(missing);
        }
        self.merged.text.push_str(text);
        self.scenes += 1;
    }
}

/// Merges `mine` into `theirs`, both descended from `base`.
pub(crate) fn merge(base: &str, mine: &str, theirs: &str) -> Merged {
    let (b, m, t) = (cut(base), cut(mine), cut(theirs));
    let mut out = Out::default();
    let head = pick_head(&b, &m, &t, &mut out.merged);
    out.merged.text.push_str(&head);
    let [bk, mk, tk] = numbered([&b.scenes, &m.scenes, &t.scenes]);
    for s in stretches(&bk, &mk, &tk) {
        region(
            Sides {
                base: (&b, s.base, &bk),
                mine: (&m, s.mine, &mk),
                theirs: (&t, s.theirs, &tk),
            },
            &mut out,
        );
        if let Some(ms) = s.shared {
            out.push(m.texts[ms]);
        }
    }
    out.merged
}

/// One stretch of a three-way walk: where base, mine and theirs may differ, then (but at the
/// end) the item of mine that all three share after it.
struct Stretch {
    base: std::ops::Range<usize>,
    mine: std::ops::Range<usize>,
    theirs: std::ops::Range<usize>,
    shared: Option<usize>,
}

/// Base, mine and theirs cut at the items of base both sides kept, in order.
fn stretches<T: Hash + Eq>(b: &[T], m: &[T], t: &[T]) -> Vec<Stretch> {
    let (in_mine, in_theirs) = (equal_to(b, m), equal_to(b, t));
    let (mut bi, mut mi, mut ti) = (0, 0, 0);
    let mut out = Vec::new();
    loop {
        let stable = (bi..b.len()).find_map(|i| match (in_mine[i], in_theirs[i]) {
            (Some(mj), Some(tj)) if mj >= mi && tj >= ti => Some((i, mj, tj)),
            _ => None,
        });
        let (be, me, te) = stable.unwrap_or((b.len(), m.len(), t.len()));
        out.push(Stretch {
            base: bi..be,
            mine: mi..me,
            theirs: ti..te,
            shared: stable.map(|(_, ms, _)| ms),
        });
        let Some((bs, ms, ts)) = stable else {
            return out;
        };
        (bi, mi, ti) = (bs + 1, ms + 1, ts + 1);
    }
}

fn pick_head<'a>(b: &Cut<'a>, m: &Cut<'a>, t: &Cut<'a>, merged: &mut Merged) -> Cow<'a, str> {
    let page = |c: &Cut<'_>| crate::fountain::parse(c.head).title_page.clone();
    if m.head == b.head || m.head == t.head {
        return t.head.into();
    }
    if t.head == b.head {
        return m.head.into();
    }
    let (pb, pm, pt) = (page(b), page(m), page(t));
    if pm == pb || pm == pt {
        t.head.into()
    } else if pt == pb {
        m.head.into()
    } else {
        let (pairs, clashed) = merge_title_pages(&pb, &pm, &pt);
        merged.title_page_both = clashed;
        super::fountain::title_page_text(&pairs).into()
    }
}

/// Title pages both sides changed, merged key by key as scenes are: a key changed on one side
/// takes that side; one both changed keeps the other side's value, and the writer's stands
/// beside it as `KEY your version` (`titleYourVersion`), so neither is lost. True when a key
/// clashed.
fn merge_title_pages(b: &[Pair], m: &[Pair], t: &[Pair]) -> (Vec<Pair>, bool) {
    let get =
        |pairs: &[Pair], key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut out = Vec::with_capacity(t.len().max(m.len()));
    let mut clashed = false;
    for (key, theirs) in t {
        let (base, mine) = (get(b, key), get(m, key));
        if mine == base || mine.as_ref() == Some(theirs) || mine.is_none() {
            out.push((key.clone(), theirs.clone()));
        } else if base.as_ref() == Some(theirs) {
            out.extend(mine.map(|v| (key.clone(), v)));
        } else {
            out.push((key.clone(), theirs.clone()));
            out.extend(mine.map(|v| (format!("{key}YourVersion"), v)));
            clashed = true;
        }
    }
    // The writer's keys the other side lacks: new ones, and ones it removed that the writer
    // changed (an unchanged one it removed stays removed).
    for (key, mine) in m {
        if get(t, key).is_none() && get(b, key).as_ref() != Some(mine) {
            out.push((key.clone(), mine.clone()));
        }
    }
    (out, clashed)
}

type Pair = (String, String);

type Side<'s, 'a> = (&'s Cut<'a>, std::ops::Range<usize>, &'s [usize]);

/// One region between scenes both sides kept, from each side.
struct Sides<'s, 'a> {
    base: Side<'s, 'a>,
    mine: Side<'s, 'a>,
    theirs: Side<'s, 'a>,
}

fn same(a: &Side<'_, '_>, b: &Side<'_, '_>) -> bool {
    a.2[a.1.clone()] == b.2[b.1.clone()]
}

fn region(s: Sides<'_, '_>, out: &mut Out) {
    let take_all = |side: &Side<'_, '_>, out: &mut Out| {
        for i in side.1.clone() {
            out.push(side.0.texts[i]);
        }
    };
    if same(&s.mine, &s.base) || same(&s.mine, &s.theirs) {
        return take_all(&s.theirs, out);
    }
    if same(&s.theirs, &s.base) {
        return take_all(&s.mine, out);
    }
    both_changed(&s, out);
}

/// A region both sides changed, scene by scene: each scene is paired with its other versions
/// by content, then by title; the other side's order stands, with the writer's new scenes
/// after the scene they follow in the writer's text.
fn both_changed<'s>(s: &Sides<'s, '_>, out: &mut Out) {
    fn scenes<'s>(side: &Side<'s, '_>) -> Vec<(usize, &'s Scene)> {
        side.1.clone().map(|i| (i, &side.0.scenes[i])).collect()
    }
    let (base, mine, theirs) = (scenes(&s.base), scenes(&s.mine), scenes(&s.theirs));
    let base_of_theirs = pair(&theirs, &base);
    let base_of_mine: Vec<Option<&Scene>> = pair(&mine, &base)
        .into_iter()
        .map(|b| b.map(|j| base[j].1))
        .collect();
    let mine_of_theirs = pair(&theirs, &mine);
    let mut region = Region {
        mine: &mine,
        texts: &s.mine.0.texts,
        base_of_mine: &base_of_mine,
        placed: vec![false; mine.len()],
    };
    for j in mine_of_theirs.iter().flatten() {
        region.placed[*j] = true;
    }
    region.place_new_from(0, out);
    for (k, (ti, scene)) in theirs.iter().enumerate() {
        let b = base_of_theirs[k].map(|j| base[j].1);
        let text = s.theirs.0.texts[*ti];
        match mine_of_theirs[k] {
            Some(j) => {
                let (mine_at, mine_scene) = mine[j];
                let mine_base = base_of_mine[j];
                if Some(mine_scene) == mine_base || mine_scene == *scene {
                    out.push(text);
                } else if b == Some(*scene) {
                    out.push(s.mine.0.texts[mine_at]);
                } else {
                    let sides = Versions {
                        theirs: scene,
                        mine: mine_scene,
                        base: mine_base,
                    };
                    let texts = (s.mine.0.scene_text(mine_at), s.theirs.0.scene_text(*ti));
                    match merge_lines(&sides, texts) {
                        Some(merged) => merged.push_to(scene, out),
                        None => conflict(sides, text, s.mine.0.texts[mine_at], out),
                    }
                }
                region.place_new_from(j + 1, out);
            }
            // Deleted by the writer: gone unless the other side changed it.
            None if b == Some(*scene) => {}
            None => out.push(text),
        }
    }
}

/// The writer's side of a region both changed, and which of its scenes are written already.
struct Region<'r, 'a> {
    mine: &'r [(usize, &'r Scene)],
    texts: &'r [&'a str],
    base_of_mine: &'r [Option<&'r Scene>],
    placed: Vec<bool>,
}

impl Region<'_, '_> {
    /// The writer's scenes from `from` on that the other side does not have, up to the next
    /// one it has: new ones, and ones the other side deleted but the writer changed.
    fn place_new_from(&mut self, from: usize, out: &mut Out) {
        for j in from..self.mine.len() {
            if self.placed[j] {
                break;
            }
            self.placed[j] = true;
            let (at, scene) = self.mine[j];
            if self.base_of_mine[j] != Some(scene) {
                out.push(self.texts[at]);
            }
        }
    }
}

/// How alike two scenes are for one pass of [`pair`], 0 to 1.
type Score = dyn Fn(&Scene, &Scene) -> f32;

/// For each scene of `a`, the index of its version in `b`: equal content first, then the
/// same title, then the most alike title.
fn pair(a: &[(usize, &Scene)], b: &[(usize, &Scene)]) -> Vec<Option<usize>> {
    let mut out = vec![None; a.len()];
    let mut used = vec![false; b.len()];
    let passes: [&Score; 3] = [
        &|x, y| f32::from(u8::from(x == y)),
        &|x, y| {
            f32::from(u8::from(
                x.title.trim() == y.title.trim() && x.untitled == y.untitled,
            ))
        },
        &|x, y| {
            if x.untitled != y.untitled {
                0.0
            } else {
                TextDiff::from_chars(x.title.as_str(), y.title.as_str()).ratio()
            }
        },
    ];
    for (pass, score) in passes.iter().enumerate() {
        let need = if pass == 2 { 0.6 } else { 1.0 };
        for (i, (_, x)) in a.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let best = b
                .iter()
                .enumerate()
                .filter(|(j, _)| !used[*j])
                .map(|(j, (_, y))| (j, score(x, y)))
                .filter(|(_, v)| *v >= need)
                .max_by(|p, q| p.1.total_cmp(&q.1).then(q.0.cmp(&p.0)));
            if let Some((j, _)) = best {
                out[i] = Some(j);
                used[j] = true;
            }
        }
    }
    out
}

/// Whether an alt can belong to a line of this kind (actions and spoken words).
fn alt_able(line: &Line) -> bool {
    matches!(
        line.kind.element_type(),
        ElementType::Action | ElementType::SpokenWord
    )
}

/// The writer's lines that the base version of the scene did not have (all of them for a
/// scene new on both sides).
fn kept_lines<'a>(
    mine: &'a Scene,
    base: Option<&'a Scene>,
) -> impl Iterator<Item = (usize, &'a Line)> {
    let base_lines: &[Line] = base.map(|b| b.lines.as_slice()).unwrap_or(&[]);
    let in_base = equal_to(&mine.lines, base_lines);
    mine.lines
        .iter()
        .enumerate()
        .filter(move |(i, _)| in_base[*i].is_none())
}

impl<'a> Cut<'a> {
    /// Scene `i`'s text cut at its lines: the heading part, then each line's own text.
    fn scene_text(&self, i: usize) -> Option<SceneText<'a>> {
        let (text, scene, starts) = (self.texts[i], &self.scenes[i], &self.line_starts[i]);
        if starts.len() != scene.lines.len() || starts.windows(2).any(|w| w[0] > w[1]) {
            return None;
        }
        let first = starts
            .first()
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        let mut lines = Vec::with_capacity(starts.len());
        for (k, from) in starts.iter().enumerate() {
            let to = starts.get(k + 1).copied().unwrap_or(text.len());
            lines.push(text.get(*from..to)?);
        }
        Some(SceneText {
            heading: &text[..first],
            lines,
        })
    }
}

/// One scene's text: its heading part and each line's own text (blank lines after it
/// included).
#[derive(Debug)]
struct SceneText<'a> {
    heading: &'a str,
    lines: Vec<&'a str>,
}

/// A scene both sides changed, merged line by line.
struct MergedLines {
    text: String,
    alts: Vec<KeptLine>,
}

impl MergedLines {
    fn push_to(self, theirs: &Scene, out: &mut Out) {
        out.push(&self.text);
        if !self.alts.is_empty() {
            let scene = out.scenes - 1;
            out.merged.both_changed.push(BothChanged {
                scene,
                title: theirs.title.clone(),
                alts: self.alts,
            });
        }
    }
}

/// A scene both sides changed, merged three ways over its lines: a line changed (added,
/// removed) on one side only takes that side; where both changed the same lines differently,
/// the other side's lines stand and each of the writer's lines there becomes an alt of the
/// nearest of them. None when the scene's text cannot be cut at its lines or the merged text
/// would not read back as the merged lines (the whole-scene merge then decides).
fn merge_lines(
    v: &Versions<'_>,
    (mine, theirs): (Option<SceneText<'_>>, Option<SceneText<'_>>),
) -> Option<MergedLines> {
    let (m, t) = (mine?, theirs?);
    // A scene new on both sides merges against an empty one.
    let empty = Scene {
        title: String::new(),
        scene_number: None,
        untitled: v.theirs.untitled,
        lines: Vec::new(),
    };
    let base = v.base.unwrap_or(&empty);
    let heading_of = |s: &Scene| (s.title.clone(), s.scene_number.clone(), s.untitled);
    let (heading, kept_heading) = if heading_of(v.mine) == heading_of(base) {
        (t.heading, v.theirs)
    } else if heading_of(v.theirs) == heading_of(base) {
        (m.heading, v.mine)
    } else {
        (t.heading, v.theirs)
    };
    let mut walk = LineMerge::default();
    walk.run(
        (&base.lines, &v.mine.lines, &v.theirs.lines),
        (&m.lines, &t.lines),
    );
    let text = walk.text(heading);
    let expected = Scene {
        title: kept_heading.title.clone(),
        scene_number: kept_heading.scene_number.clone(),
        untitled: kept_heading.untitled,
        lines: walk.lines.clone(),
    };
    // The merged text must read back as exactly the merged lines, or nothing is gained.
    let read = cut(&text);
    if read.scenes.len() != 1 || read.scenes[0] != expected || !read.head.is_empty() {
        return None;
    }
    let targets: Vec<usize> = (0..walk.lines.len())
        .filter(|i| alt_able(&walk.lines[*i]))
        .collect();
    if targets.is_empty() && !walk.kept.is_empty() {
        return None;
    }
    let alts = walk
        .kept
        .into_iter()
        .map(|(place, line)| KeptLine {
            at: nearest(&targets, place, line.kind, &walk.lines),
            line,
        })
        .collect();
    Some(MergedLines { text, alts })
}

/// `side` is `base` with some lines edited where they stand: none added, removed or moved.
fn edited_in_place(base: &[Line], side: &[Line]) -> bool {
    base.len() == side.len()
        && side
            .iter()
            .zip(base)
            .all(|(line, was)| line == was || !base.contains(line))
}

/// The lines of a scene being merged: texts and lines taken, and the writer's lines that lost
/// to the other side's (with where they stood).
#[derive(Default)]
struct LineMerge<'a> {
    texts: Vec<&'a str>,
    lines: Vec<Line>,
    kept: Vec<(usize, Line)>,
}

type Three<'s, T> = (&'s [T], &'s [T], &'s [T]);

impl<'a> LineMerge<'a> {
    /// Walks base, mine and theirs together (the texts of mine's and theirs' lines beside).
    fn run(&mut self, (b, m, t): Three<'_, Line>, (mt, tt): (&[&'a str], &[&'a str])) {
        for s in stretches(b, m, t) {
            let (base, mine, theirs) = (&b[s.base], &m[s.mine.clone()], &t[s.theirs.clone()]);
            if mine == base || mine == theirs {
                self.take(theirs, &tt[s.theirs]);
            } else if theirs == base {
                self.take(mine, &mt[s.mine]);
            } else if edited_in_place(base, mine) && edited_in_place(base, theirs) {
                // Lines edited in place on both sides (no line added or removed): each line
                // merges on its own, so neighbouring edits of different lines both stand.
                for (i, line) in base.iter().enumerate() {
                    let (mi, ti) = (s.mine.start + i, s.theirs.start + i);
                    self.merge_one(line, (&m[mi], mt[mi]), (&t[ti], tt[ti]));
                }
            } else {
                self.clash(base, mine, (theirs, &tt[s.theirs]));
            }
            if let Some(ms) = s.shared {
                self.take(&m[ms..=ms], &mt[ms..=ms]);
            }
        }
    }

    /// One line both sides may have edited.
    fn merge_one(&mut self, base: &Line, mine: (&Line, &'a str), theirs: (&Line, &'a str)) {
        if mine.0 == base || mine.0 == theirs.0 {
            self.take(std::slice::from_ref(theirs.0), &[theirs.1]);
        } else if theirs.0 == base {
            self.take(std::slice::from_ref(mine.0), &[mine.1]);
        } else {
            self.clash(
                std::slice::from_ref(base),
                std::slice::from_ref(mine.0),
                (std::slice::from_ref(theirs.0), &[theirs.1]),
            );
        }
    }

    /// Lines both sides changed differently: theirs stand, the writer's new ones are kept.
    fn clash(&mut self, base: &[Line], mine: &[Line], (theirs, texts): (&[Line], &[&'a str])) {
        let place = self.lines.len();
        self.take(theirs, texts);
        let lost = mine
            .iter()
            .filter(|line| !theirs.contains(line) && !base.contains(line));
        self.kept.extend(lost.map(|line| (place, line.clone())));
    }

    fn take(&mut self, lines: &[Line], texts: &[&'a str]) {
        self.lines.extend_from_slice(lines);
        self.texts.extend_from_slice(texts);
    }

    /// The scene's text: the heading part, then each line's text, each but the last ending in
    /// a blank line so the next reads as a line of its own.
    fn text(&self, heading: &str) -> String {
        let mut out = String::from(heading);
        for (i, text) in self.texts.iter().enumerate() {
            if i > 0 || !out.is_empty() {
                separate(&mut out);
            }
            out.push_str(text);
        }
        out
    }
}

/// Ends `out` in a blank line (unless it is empty).
fn separate(out: &mut String) {
    if out.is_empty() || out.ends_with("\n\n") {
        return;
    }
    out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
}

/// The three versions of one scene.
struct Versions<'v> {
    theirs: &'v Scene,
    mine: &'v Scene,
    base: Option<&'v Scene>,
}

/// The other version stays; each line of the writer's that it lacks goes in as an alt of the
/// other version's line at the same place (the nearest line an alt can belong to). When the
/// other version has no such line, the writer's version follows as a scene of its own.
fn conflict(v: Versions<'_>, text: &str, mine_text: &str, out: &mut Out) {
    out.push(text);
    let scene = out.scenes - 1;
    let in_theirs = equal_to(&v.mine.lines, &v.theirs.lines);
    let targets: Vec<usize> = v
        .theirs
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| alt_able(l))
        .map(|(i, _)| i)
        .collect();
    let kept: Vec<(usize, &Line)> = kept_lines(v.mine, v.base)
        .filter(|(i, _)| in_theirs[*i].is_none())
        .collect();
    let alts = if targets.is_empty() {
        if !kept.is_empty() {
            out.push(mine_text);
        }
        Vec::new()
    } else {
        kept.into_iter()
            .map(|(i, line)| KeptLine {
                at: nearest(
                    &targets,
                    where_in_theirs(&in_theirs, i),
                    line.kind,
                    &v.theirs.lines,
                ),
                line: line.clone(),
            })
            .collect()
    };
    out.merged.both_changed.push(BothChanged {
        scene,
        title: v.theirs.title.clone(),
        alts,
    });
}

/// Where line `i` of the writer's scene stands in the other version: just after the last
/// line before it that both share.
fn where_in_theirs(in_theirs: &[Option<usize>], i: usize) -> usize {
    in_theirs[..i]
        .iter()
        .rev()
        .find_map(|m| m.map(|t| t + 1))
        .unwrap_or(0)
}

/// The line an alt of a `kind` line at `place` belongs to: the closest of the same kind, else
/// the closest at all.
fn nearest(targets: &[usize], place: usize, kind: ElementKind, lines: &[Line]) -> usize {
    let distance = |t: &usize| t.abs_diff(place);
    let same_kind = targets
        .iter()
        .filter(|t| lines[**t].kind == kind)
        .min_by_key(|t| distance(t));
    same_kind
        .or_else(|| targets.iter().min_by_key(|t| distance(t)))
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "Title: Merge\n\nINT. ONE - DAY\n\nAda waits.\n\nADA\nHello.\n\nINT. TWO - DAY\n\nBruno runs.\n\nINT. THREE - NIGHT\n\nThe end.\n";

    #[test]
    fn a_text_cuts_into_its_title_page_and_scenes_without_losing_a_byte() {
        let c = cut(BASE);
        assert_eq!(c.head, "Title: Merge\n\n");
        assert_eq!(c.texts.len(), 3);
        assert_eq!(c.head.to_string() + &c.texts.concat(), BASE);
        assert!(c.texts[1].starts_with("INT. TWO - DAY\n"));
    }

    #[test]
    fn title_pages_both_changed_merge_key_by_key_and_a_clash_keeps_both_values() {
        let base = BASE.replace(
            "Title: Merge\n",
            "Title: Merge\nAuthor: Ada\nContact: ada@example.org\n",
        );
        let mine = base
            .replace("Title: Merge", "Title: Merge Mine")
            .replace("Author: Ada", "Author: Ada and Bruno");
        let theirs = base.replace("Title: Merge", "Title: Merge Theirs").replace(
            "Contact: ada@example.org\n",
            "Contact: ada@example.org\nDraft date: 1 December\n",
        );
        let m = merge(&base, &mine, &theirs);
        let page = crate::fountain::parse(&m.text).title_page;
        let pairs: Vec<(&str, &str)> = page.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(pairs[0], ("title", "Merge Theirs"));
        assert_eq!(
            pairs[1],
            ("titleYourVersion", "Merge Mine"),
            "the writer's beside theirs"
        );
        assert!(pairs.contains(&("author", "Ada and Bruno")), "{pairs:?}");
        assert!(pairs.iter().any(|(_, v)| *v == "1 December"), "{pairs:?}");
        assert!(m.title_page_both);
        assert!(m.text.contains("INT. ONE - DAY"), "the scenes follow");
        // Different keys changed on each side: no clash.
        let mine = base.replace("Author: Ada", "Author: Ada and Bruno");
        let m = merge(&base, &mine, &theirs);
        assert!(!m.title_page_both);
        assert!(
            m.text.contains("Ada and Bruno") && m.text.contains("Merge Theirs"),
            "{}",
            m.text
        );
    }

    #[test]
    fn unchanged_on_the_writers_side_gives_the_other_text() {
        let theirs = BASE.replace("Bruno runs.", "Bruno runs fast.");
        let m = merge(BASE, BASE, &theirs);
        assert_eq!(m.text, theirs);
        assert!(m.both_changed.is_empty());
    }

    #[test]
    fn scenes_changed_on_different_sides_merge_by_themselves() {
        let mine = BASE.replace("Ada waits.", "Ada waits by the door.");
        let theirs = BASE.replace("The end.", "The very end.");
        let m = merge(BASE, &mine, &theirs);
        assert_eq!(
            m.text,
            BASE.replace("Ada waits.", "Ada waits by the door.")
                .replace("The end.", "The very end.")
        );
        assert!(m.both_changed.is_empty());
        assert!(!m.title_page_both);
    }

    #[test]
    fn a_scene_changed_on_both_sides_keeps_the_other_and_the_writers_lines_as_alts() {
        let mine = BASE.replace("Hello.", "Hello there.");
        let theirs = BASE.replace("Hello.", "Good morning.");
        let m = merge(BASE, &mine, &theirs);
        assert_eq!(m.text, theirs);
        assert_eq!(m.both_changed.len(), 1);
        let both = &m.both_changed[0];
        assert_eq!((both.scene, both.title.as_str()), (0, "INT. ONE - DAY"));
        assert_eq!(both.alts.len(), 1);
        assert_eq!(both.alts[0].at, 1, "the alt belongs to ADA's line");
        assert_eq!(both.alts[0].line.text, "Hello there.");
    }

    #[test]
    fn a_new_scene_and_a_deleted_one_both_arrive() {
        let mine = format!("{BASE}\nINT. FOUR - DAWN\n\nA new day.\n");
        let theirs = BASE.replace("INT. TWO - DAY\n\nBruno runs.\n\n", "");
        let m = merge(BASE, &mine, &theirs);
        let titles: Vec<String> = cut(&m.text).scenes.into_iter().map(|s| s.title).collect();
        assert_eq!(
            titles,
            ["INT. ONE - DAY", "INT. THREE - NIGHT", "INT. FOUR - DAWN"]
        );
    }

    #[test]
    fn a_scene_the_other_side_deleted_but_the_writer_changed_stays() {
        let mine = BASE.replace("Bruno runs.", "Bruno runs home.");
        let theirs = BASE.replace("INT. TWO - DAY\n\nBruno runs.\n\n", "");
        let m = merge(BASE, &mine, &theirs);
        assert!(m.text.contains("Bruno runs home."), "{}", m.text);
    }

    #[test]
    fn a_moved_scene_on_one_side_and_an_edit_on_the_other_both_arrive() {
        let mine = BASE.replace("INT. TWO - DAY\n\nBruno runs.\n\n", "")
            + "\nINT. TWO - DAY\n\nBruno runs.\n";
        let theirs = BASE.replace("Ada waits.", "Ada sits.");
        let m = merge(BASE, &mine, &theirs);
        let scenes = cut(&m.text).scenes;
        let titles: Vec<&str> = scenes.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            ["INT. ONE - DAY", "INT. THREE - NIGHT", "INT. TWO - DAY"]
        );
        assert!(m.text.contains("Ada sits."));
    }
    const DIALOGUE: &str =
        "INT. ONE - DAY\n\nAda waits.\n\nADA\nHello.\n\nBRUNO\nGoodbye.\n\nAda leaves.\n";

    #[test]
    fn different_lines_of_one_scene_changed_on_each_side_both_arrive() {
        let mine = DIALOGUE.replace("Hello.", "Hello there.");
        let theirs = DIALOGUE.replace("Ada leaves.", "Ada leaves at once.");
        let m = merge(DIALOGUE, &mine, &theirs);
        assert_eq!(
            m.text,
            DIALOGUE
                .replace("Hello.", "Hello there.")
                .replace("Ada leaves.", "Ada leaves at once.")
        );
        assert!(m.both_changed.is_empty(), "{:?}", m.both_changed);
    }

    #[test]
    fn a_line_added_on_one_side_and_another_changed_on_the_other_both_arrive() {
        let mine = DIALOGUE.replace("Ada waits.\n\n", "Ada waits.\n\nThunder.\n\n");
        let theirs = DIALOGUE.replace("Goodbye.", "Farewell.");
        let m = merge(DIALOGUE, &mine, &theirs);
        assert_eq!(m.text, mine.replace("Goodbye.", "Farewell."));
        assert!(m.both_changed.is_empty());
    }

    #[test]
    fn the_same_line_changed_on_both_sides_keeps_theirs_and_the_writers_as_its_alt() {
        let mine = DIALOGUE
            .replace("Hello.", "Hello there.")
            .replace("Ada leaves.", "Ada runs.");
        let theirs = DIALOGUE.replace("Hello.", "Good morning.");
        let m = merge(DIALOGUE, &mine, &theirs);
        assert_eq!(
            m.text,
            theirs.replace("Ada leaves.", "Ada runs."),
            "the other line still merges"
        );
        assert_eq!(m.both_changed.len(), 1);
        let alts = &m.both_changed[0].alts;
        assert_eq!(alts.len(), 1);
        assert_eq!(
            (alts[0].at, alts[0].line.text.as_str()),
            (1, "Hello there.")
        );
    }
}
