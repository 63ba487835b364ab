//! The editor's re-parse: the whole Fountain text in, the stored script brought in line with
//! it. Scenes and lines are matched by a diff (Myers, over their full content), not by
//! position, so what did not change keeps its id and with it its contexts and paraphrases;
//! a changed line that the diff aligns with its old self is updated in place.

mod likeness;

use std::collections::{BTreeMap, HashMap, VecDeque};

use likeness::likeness;
use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use sqlx::AnyConnection;
use tracing::instrument;

use super::import::{self, NewRow, NewSection};
use super::scenes::{self, Line, Scene, StoredScene};
use super::source;
use crate::characters::{self, Originals};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::scripts;

#[derive(ts_rs::TS, Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub kept: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

/// What a sync did to the script's sections and elements, and the script's revision after it
/// (what the editor's next sync starts from).
#[derive(ts_rs::TS, Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSummary {
    pub sections: Counts,
    pub elements: Counts,
    #[serde(default)]
    pub revision: i64,
}

/// One scene heading or one line, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Item<'a> {
    Heading {
        title: &'a str,
        scene_number: Option<&'a str>,
        untitled: bool,
    },
    Line(&'a Line),
}

impl Item<'_> {
    /// What an item may stand in for in place: any heading, or a line of the same kind.
    fn sort(&self) -> Option<scripts::ElementKind> {
        match self {
            Item::Heading { .. } => None,
            Item::Line(line) => Some(line.kind),
        }
    }

    fn is_heading(&self) -> bool {
        matches!(self, Item::Heading { .. })
    }
}

fn flatten(scenes: &[Scene]) -> Vec<Item<'_>> {
    let mut items = Vec::with_capacity(scenes.iter().map(|s| s.lines.len() + 1).sum());
    for scene in scenes {
        items.push(Item::Heading {
            title: &scene.title,
            scene_number: scene.scene_number.as_deref(),
            untitled: scene.untitled,
        });
        items.extend(scene.lines.iter().map(Item::Line));
    }
    items
}

/// For each new item, the old item it continues (if any). First what the diff keeps equal;
/// then what left one place and appears elsewhere, unchanged and then nearly unchanged; then,
/// inside a replaced run, what took an old item's place (updated in place). Lines go first, so
/// a scene is followed by where its lines went.
fn align(old: &[Item<'_>], new: &[Item<'_>]) -> Vec<Option<usize>> {
    let ops = diff(old, new);
    let mut pairs = Pairs::new(old.len(), new.len());
    for op in &ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for i in 0..len {
                pairs.join(old_index + i, new_index + i);
            }
        }
    }
    pairs.join_equal_lines(old, new);
    pairs.join_similar_lines(old, new);
    pairs.join_in_place(&ops, old, new, false);
    pairs.join_scenes(old, new);
    pairs.join_in_place(&ops, old, new, true);
    pairs.new_to_old
}

/// Myers over the items; equal items get equal numbers, since the diff wants ordered keys.
fn diff(old: &[Item<'_>], new: &[Item<'_>]) -> Vec<DiffOp> {
    let mut numbers: HashMap<&Item<'_>, usize> = HashMap::with_capacity(old.len() + new.len());
    let mut key = |item| {
        let next = numbers.len();
        *numbers.entry(item).or_insert(next)
    };
    let old_keys: Vec<usize> = old.iter().map(&mut key).collect();
    let new_keys: Vec<usize> = new.iter().map(&mut key).collect();
    capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys)
}

/// A moved line counts as the same line when it is at least this alike.
const SIMILAR: f32 = 0.7;
/// Pairs of lines compared exactly per sync (each a few hundred nanoseconds): enough for a
/// whole 120-page script's lines rewritten and reordered; beyond it (a paste of a much bigger
/// other script) the moved and edited lines not yet paired count as new.
const COMPARISONS: usize = 4_000_000;

/// The pairing being built between old and new items.
struct Pairs {
    new_to_old: Vec<Option<usize>>,
    old_used: Vec<bool>,
}

/// The freed old and new lines of one kind and speaker, with their indices.
#[derive(Default)]
struct Group<'a> {
    old: Vec<(usize, &'a str)>,
    new: Vec<(usize, &'a str)>,
}

/// The lines among `items` at the indices `free`, with their indices.
fn freed_lines<'a>(
    items: &[Item<'a>],
    free: impl IntoIterator<Item = usize>,
) -> Vec<(usize, &'a Line)> {
    let line = |i: usize| match items[i] {
        Item::Line(l) => Some((i, l)),
        Item::Heading { .. } => None,
    };
    free.into_iter().filter_map(line).collect()
}

/// Which lines may pair with which: the kind and the speaker.
fn speaking(line: &Line) -> (&'static str, Option<&str>) {
    (line.kind.as_str(), line.character.as_deref())
}

/// A candidate pair and how alike its two sides are.
struct Candidate {
    score: f32,
    old: usize,
    new: usize,
}

impl Pairs {
    fn new(old: usize, new: usize) -> Self {
        Pairs {
            new_to_old: vec![None; new],
            old_used: vec![false; old],
        }
    }

    fn join(&mut self, old: usize, new: usize) {
        self.new_to_old[new] = Some(old);
        self.old_used[old] = true;
    }

    fn free_old(&self) -> impl Iterator<Item = usize> + '_ {
        self.old_used
            .iter()
            .enumerate()
            .filter(|(_, used)| !**used)
            .map(|(o, _)| o)
    }

    fn free_new(&self) -> Vec<usize> {
        (0..self.new_to_old.len())
            .filter(|n| self.new_to_old[*n].is_none())
            .collect()
    }

    /// Takes the best candidates first; each item joins at most one other.
    fn join_best(&mut self, mut candidates: Vec<Candidate>) {
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.new.cmp(&b.new))
                .then(a.old.cmp(&b.old))
        });
        for c in candidates {
            if !self.old_used[c.old] && self.new_to_old[c.new].is_none() {
                self.join(c.old, c.new);
            }
        }
    }

    /// A line cut from one place and pasted unchanged in another, in reading order.
    fn join_equal_lines(&mut self, old: &[Item<'_>], new: &[Item<'_>]) {
        let mut waiting: HashMap<&Item<'_>, VecDeque<usize>> = HashMap::new();
        for o in self.free_old().filter(|o| matches!(old[*o], Item::Line(_))) {
            waiting.entry(&old[o]).or_default().push_back(o);
        }
        for n in self.free_new() {
            if let Some(o) = waiting.get_mut(&new[n]).and_then(VecDeque::pop_front) {
                self.join(o, n);
            }
        }
    }

    /// A line moved and slightly edited: same kind and speaker, text at least [`SIMILAR`].
    /// Only lines of one kind and speaker meet, group by group in a fixed order.
    fn join_similar_lines(&mut self, old: &[Item<'_>], new: &[Item<'_>]) {
        let mut groups: BTreeMap<(&str, Option<&str>), Group<'_>> = BTreeMap::new();
        for (o, l) in freed_lines(old, self.free_old()) {
            let group = groups.entry(speaking(l)).or_default();
            group.old.push((o, &l.text));
        }
        for (n, l) in freed_lines(new, self.free_new()) {
            let group = groups.entry(speaking(l)).or_default();
            group.new.push((n, &l.text));
        }
        let mut candidates = Vec::new();
        let mut budget = COMPARISONS;
        for g in groups.values() {
            if !likeness::alike_pairs(&g.old, &g.new, SIMILAR, &mut budget, &mut candidates) {
                break;
            }
        }
        self.join_best(candidates);
    }

    /// Inside a replaced run, each new item of the sort takes the next free old one of its
    /// sort, in order: a line rewritten where it stood keeps its id.
    fn join_in_place(
        &mut self,
        ops: &[DiffOp],
        old: &[Item<'_>],
        new: &[Item<'_>],
        headings: bool,
    ) {
        for op in ops {
            let DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } = *op
            else {
                continue;
            };
            // The free old items of each sort, in order. The cursor only moves forward and a
            // used item stays used, so what a search skips once is skipped for good: one pass
            // over the run, where a scan from the cursor per new item was quadratic.
            let mut free: HashMap<Option<scripts::ElementKind>, VecDeque<usize>> = HashMap::new();
            let run = old.iter().enumerate().skip(old_index).take(old_len);
            for (o, item) in run.filter(|(_, item)| item.is_heading() == headings) {
                free.entry(item.sort()).or_default().push_back(o);
            }
            let mut cursor = old_index;
            for (n, item) in new.iter().enumerate().skip(new_index).take(new_len) {
                if self.new_to_old[n].is_some() || item.is_heading() != headings {
                    continue;
                }
                let Some(queue) = free.get_mut(&item.sort()) else {
                    continue;
                };
                while queue
                    .front()
                    .is_some_and(|o| *o < cursor || self.old_used[*o])
                {
                    queue.pop_front();
                }
                if let Some(o) = queue.pop_front() {
                    self.join(o, n);
                    cursor = o + 1;
                }
            }
        }
    }

    /// A scene moved (or moved and retitled) keeps its id when its heading is alike and its
    /// lines came from the old scene: the score is the mean of the two. A new scene that only
    /// shares a deleted scene's heading does not take that scene's moods.
    fn join_scenes(&mut self, old: &[Item<'_>], new: &[Item<'_>]) {
        let old_scene = scene_of(old);
        let old_lines = lines_per_scene(old);
        let mut candidates = Vec::new();
        for n in self.free_new() {
            let Item::Heading {
                title, untitled, ..
            } = new[n]
            else {
                continue;
            };
            let lines: Vec<usize> = (n + 1..new.len())
                .take_while(|i| !new[*i].is_heading())
                .collect();
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for o in lines.iter().filter_map(|i| self.new_to_old[*i]) {
                *shared.entry(old_scene[o]).or_default() += 1;
            }
            let empty = self.free_old().filter(|o| {
                lines.is_empty() && old[*o].is_heading() && old_lines.get(o) == Some(&0)
            });
            let mut scenes: Vec<usize> = shared.keys().copied().chain(empty).collect();
            scenes.sort_unstable();
            scenes.dedup();
            for o in scenes.into_iter().filter(|o| !self.old_used[*o]) {
                let Item::Heading {
                    title: old_title,
                    untitled: old_untitled,
                    ..
                } = old[o]
                else {
                    continue;
                };
                if old_untitled != untitled {
                    continue;
                }
                let heading = likeness(old_title, title);
                let total = lines.len().max(old_lines.get(&o).copied().unwrap_or(0));
                let score = match total {
                    0 => heading,
                    _ => {
                        (heading + shared.get(&o).copied().unwrap_or(0) as f32 / total as f32) / 2.0
                    }
                };
                if score >= 0.6 {
                    candidates.push(Candidate {
                        score,
                        old: o,
                        new: n,
                    });
                }
            }
        }
        self.join_best(candidates);
    }
}

/// For each item, the index of the heading of the scene it is in.
fn scene_of(items: &[Item<'_>]) -> Vec<usize> {
    let mut heading = 0;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if item.is_heading() {
                heading = i;
            }
            heading
        })
        .collect()
}

/// For each heading's index, how many lines its scene holds.
fn lines_per_scene(items: &[Item<'_>]) -> HashMap<usize, usize> {
    let mut counts = HashMap::new();
    for (item, heading) in items.iter().zip(scene_of(items)) {
        let count = counts.entry(heading).or_insert(0);
        if !item.is_heading() {
            *count += 1;
        }
    }
    counts
}

/// Brings the stored script in line with `text` (Fountain) in one transaction.
pub async fn sync(db: &Database, script_id: i64, text: &str) -> Result<SyncSummary> {
    sync_from(db, script_id, text, None).await
}

/// [`sync`] from the script's revision `base` (the one the editor's text started from): if the
/// script changed since (the CLI, another window), the sync is refused with `conflict` and
/// changes nothing, so the other change is never silently reverted. `None` syncs regardless.
#[instrument(skip(db, text), err)]
pub async fn sync_from(
    db: &Database,
    script_id: i64,
    text: &str,
    base: Option<i64>,
) -> Result<SyncSummary> {
    check_text(text)?;
    let mut tx = db.begin().await?;
    let script = lock_script(&mut tx, script_id).await?;
    if let Some(base) = base.filter(|b| *b != script.revision) {
        return Err(Error::conflict(format!(
            "the script changed since this text was loaded (revision {base}, now {}); \
             reload it or merge the changes",
            script.revision
        )));
    }
    let summary = sync_in(&mut tx, &script, text).await?;
    tx.commit().await?;
    Ok(summary)
}

/// The script, read under its lock: on PostgreSQL another writer's save of the same script
/// waits until this transaction ends, so the revision read here stays the one written over.
pub(crate) async fn lock_script(
    conn: &mut AnyConnection,
    script_id: i64,
) -> Result<scripts::Script> {
    crate::sequence::lock_scope(conn, crate::sequence::ElementType::Section, script_id).await?;
    scripts::fetch_script(conn, script_id).await
}

/// Text the editor may hold: anything but NUL.
pub(crate) fn check_text(text: &str) -> Result<()> {
    match text.find('\0') {
        Some(at) => Err(Error::invalid(format!(
            "the text contains a NUL character at byte offset {at}"
        ))),
        None => Ok(()),
    }
}

/// [`sync`] inside the caller's transaction.
pub(crate) async fn sync_in(
    tx: &mut AnyConnection,
    script: &scripts::Script,
    text: &str,
) -> Result<SyncSummary> {
    let script_id = script.script_id;
    let screenplay = crate::fountain::parse(text);
    super::check_fields(&screenplay)?;
    let (scenes, starts) = scenes::read(&screenplay);
    sync_title_page(tx, script, &screenplay.title_page).await?;
    let stored = scenes::load(tx, script_id).await?;
    let (mut summary, moved) = apply(tx, script_id, &stored, &scenes).await?;
    source::remember(tx, script_id, text, &starts).await?;
    let edits = |c: Counts| c.added + c.changed + c.removed;
    if moved || edits(summary.sections) + edits(summary.elements) > 0 {
        scripts::touch(tx, script_id).await?;
    }
    summary.revision = scripts::fetch_script(tx, script_id).await?.revision;
    Ok(summary)
}

/// A changed title page updates the script's title, author and description; an unchanged
/// one leaves them as the writer may have edited them elsewhere.
async fn sync_title_page(
    conn: &mut AnyConnection,
    script: &scripts::Script,
    pairs: &[(String, String)],
) -> Result<()> {
    let json = (!pairs.is_empty())
        .then(|| serde_json::to_string(pairs))
        .transpose()?;
    let stored: Option<String> =
        sqlx::query_scalar("SELECT CAST(title_page AS TEXT) FROM scripts WHERE script_id = $1")
            .bind(script.script_id)
            .fetch_one(&mut *conn)
            .await?;
    if stored == json {
        return Ok(());
    }
    // Fields the title page does not mention keep what the script had.
    let fields = import::script_fields(pairs, &script.title);
    let author = fields.author.unwrap_or_else(|| script.author.clone());
    let description = fields
        .description
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| script.description.clone());
    sqlx::query(
        "UPDATE scripts SET title_page = CAST($1 AS json_text), title = $2, author = $3, description = $4 WHERE script_id = $5",
    )
    .bind(json)
    .bind(fields.title)
    .bind(author)
    .bind(description)
    .bind(script.script_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Where an old item stands: its id, and for a line its section and place.
struct OldPlace {
    id: i64,
    heading_id: i64,
    sequence: i64,
}

fn old_places(stored: &[StoredScene]) -> Vec<OldPlace> {
    let mut places = Vec::with_capacity(stored.iter().map(|s| s.element_ids.len() + 1).sum());
    for (index, s) in stored.iter().enumerate() {
        places.push(OldPlace {
            id: s.heading_id,
            heading_id: s.heading_id,
            sequence: index as i64 + 1,
        });
        for (i, id) in s.element_ids.iter().enumerate() {
            places.push(OldPlace {
                id: *id,
                heading_id: s.heading_id,
                sequence: i as i64 + 1,
            });
        }
    }
    places
}

/// An existing row and where it goes: a section and a place in it.
struct Placement {
    id: i64,
    heading_id: i64,
    sequence: i64,
}

/// A changed line written over the row it continues.
struct Update<'a> {
    place: Placement,
    line: &'a Line,
    character_id: Option<i64>,
}

/// What a sync will write, planned before anything is written: a kept line may move into a
/// section not inserted yet.
#[derive(Default)]
struct Plan<'a> {
    summary: SyncSummary,
    moved: bool,
    new_sections: Vec<NewSection<'a>>,
    renamed: Vec<(i64, &'a Scene)>,
    reordered: Vec<Placement>,
    new_rows: Vec<NewRow<'a>>,
    moves: Vec<Placement>,
    updates: Vec<Update<'a>>,
}

/// The ids reserved for new rows (handed out in order; a walk without them counts how many it
/// needs) and the place being filled while the new text is walked.
struct Cursor<'c> {
    new_headings: Fresh,
    new_elements: Fresh,
    heading_id: i64,
    section_seq: i64,
    line_seq: i64,
    characters: &'c HashMap<String, i64>,
}

/// Ids reserved for new rows, handed out in order.
#[derive(Default)]
struct Fresh {
    ids: Vec<i64>,
    used: usize,
}

impl Fresh {
    fn of(ids: Vec<i64>) -> Self {
        Fresh { ids, used: 0 }
    }

    /// The next reserved id; while counting (none reserved), 0.
    fn next(&mut self) -> i64 {
        let id = self.ids.get(self.used).copied().unwrap_or(0);
        self.used += 1;
        id
    }
}

async fn apply(
    conn: &mut AnyConnection,
    script_id: i64,
    stored: &[StoredScene],
    scenes: &[Scene],
) -> Result<(SyncSummary, bool)> {
    let old_scenes: Vec<Scene> = stored.iter().map(|s| s.scene.clone()).collect();
    let old = flatten(&old_scenes);
    let new = flatten(scenes);
    let places = old_places(stored);
    let matched = align(&old, &new);
    let characters = import::ensure_characters(conn, script_id, scenes).await?;
    let walk = |new_headings, new_elements| {
        let mut cursor = Cursor {
            new_headings,
            new_elements,
            heading_id: 0,
            section_seq: 0,
            line_seq: 0,
            characters: &characters,
        };
        let plan = plan(&old, &new, scenes, &places, &matched, &mut cursor);
        (plan, cursor.new_headings.used, cursor.new_elements.used)
    };
    // The first walk counts the new rows, the second hands them the ids reserved for them.
    let (_, headings, elements) = walk(Fresh::default(), Fresh::default());
    let (mut plan, ..) = walk(
        Fresh::of(import::reserve_ids(conn, "section_headings", "heading_id", headings).await?),
        Fresh::of(import::reserve_ids(conn, "elements", "element_id", elements).await?),
    );
    write(conn, script_id, &plan).await?;
    let mut used = vec![false; old.len()];
    for o in matched.iter().flatten() {
        used[*o] = true;
    }
    let gone_lines = unused(&old, &used, &places, false);
    let gone_sections = unused(&old, &used, &places, true);
    plan.summary.elements.removed = gone_lines.len();
    plan.summary.sections.removed = gone_sections.len();
    delete_elements(conn, &gone_lines).await?;
    delete_sections(conn, &gone_sections).await?;
    Ok((plan.summary, plan.moved))
}

/// Walks the new text in order, deciding for each item whether it keeps, changes, moves or
/// adds a row.
fn plan<'a>(
    old: &[Item<'_>],
    new: &[Item<'a>],
    scenes: &'a [Scene],
    places: &[OldPlace],
    matched: &[Option<usize>],
    cursor: &mut Cursor<'_>,
) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut scene_iter = scenes.iter();
    for (n, item) in new.iter().enumerate() {
        let previous = matched[n].map(|o| (&places[o], old[o] == *item));
        match item {
            Item::Heading { .. } => {
                let Some(scene) = scene_iter.next() else {
                    break;
                };
                plan.heading(scene, previous, cursor);
            }
            Item::Line(line) => plan.line(line, previous, cursor),
        }
    }
    plan
}

impl<'a> Plan<'a> {
    fn heading(
        &mut self,
        scene: &'a Scene,
        previous: Option<(&OldPlace, bool)>,
        cursor: &mut Cursor<'_>,
    ) {
        cursor.section_seq += 1;
        cursor.line_seq = 0;
        let Some((place, same)) = previous else {
            cursor.heading_id = cursor.new_headings.next();
            self.summary.sections.added += 1;
            self.new_sections.push(NewSection {
                id: cursor.heading_id,
                scene,
                sequence: cursor.section_seq,
                kept: None,
            });
            return;
        };
        cursor.heading_id = place.id;
        if same {
            self.summary.sections.kept += 1;
        } else {
            self.summary.sections.changed += 1;
            self.renamed.push((place.id, scene));
        }
        if place.sequence != cursor.section_seq {
            self.moved = true;
            self.reordered.push(Placement {
                id: place.id,
                heading_id: place.id,
                sequence: cursor.section_seq,
            });
        }
    }

    fn line(
        &mut self,
        line: &'a Line,
        previous: Option<(&OldPlace, bool)>,
        cursor: &mut Cursor<'_>,
    ) {
        cursor.line_seq += 1;
        let character_id = line
            .character
            .as_ref()
            .and_then(|c| cursor.characters.get(c).copied());
        let target = |id| Placement {
            id,
            heading_id: cursor.heading_id,
            sequence: cursor.line_seq,
        };
        match previous {
            Some((place, true)) => {
                self.summary.elements.kept += 1;
                if place.heading_id != cursor.heading_id || place.sequence != cursor.line_seq {
                    self.moved = true;
                    self.moves.push(target(place.id));
                }
            }
            Some((place, false)) => {
                self.summary.elements.changed += 1;
                self.updates.push(Update {
                    place: target(place.id),
                    line,
                    character_id,
                });
            }
            None => {
                self.summary.elements.added += 1;
                self.new_rows.push(NewRow {
                    id: cursor.new_elements.next(),
                    heading_id: cursor.heading_id,
                    line,
                    character_id,
                    sequence: cursor.line_seq,
                    kept: None,
                });
            }
        }
    }
}

/// Writes a plan; new sections first, since new rows and moved lines may point at them.
async fn write(conn: &mut AnyConnection, script_id: i64, plan: &Plan<'_>) -> Result<()> {
    import::insert_sections(conn, script_id, &plan.new_sections).await?;
    for (heading_id, scene) in &plan.renamed {
        update_section(conn, *heading_id, scene).await?;
    }
    for p in &plan.reordered {
        set_section_order(conn, p.id, p.sequence).await?;
    }
    for p in &plan.moves {
        move_element(conn, p).await?;
    }
    for u in &plan.updates {
        update_element(conn, u).await?;
    }
    import::insert_rows(conn, &plan.new_rows).await
}

fn unused(old: &[Item<'_>], used: &[bool], places: &[OldPlace], headings: bool) -> Vec<i64> {
    old.iter()
        .zip(used)
        .zip(places)
        .filter(|((item, used), _)| !**used && matches!(item, Item::Heading { .. }) == headings)
        .map(|(_, place)| place.id)
        .collect()
}

async fn update_section(conn: &mut AnyConnection, heading_id: i64, scene: &Scene) -> Result<()> {
    sqlx::query(
        "UPDATE section_headings SET title = $1, scene_number = $2, untitled = $3 WHERE heading_id = $4",
    )
    .bind(scene.title.trim())
    .bind(&scene.scene_number)
    .bind(scene.untitled)
    .bind(heading_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn set_section_order(conn: &mut AnyConnection, heading_id: i64, seq: i64) -> Result<()> {
    sqlx::query("UPDATE section_headings SET sequence_number = $1 WHERE heading_id = $2")
        .bind(seq)
        .bind(heading_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn move_element(conn: &mut AnyConnection, p: &Placement) -> Result<()> {
    sqlx::query("UPDATE elements SET heading_id = $1, sequence_number = $2 WHERE element_id = $3")
        .bind(p.heading_id)
        .bind(p.sequence)
        .bind(p.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn update_element(conn: &mut AnyConnection, u: &Update<'_>) -> Result<()> {
    let line = u.line;
    sqlx::query(
        "UPDATE elements SET heading_id = $1, sequence_number = $2, kind = $3, text = $4, character_id = $5, \
         parenthetical = $6, extension = $7, dual = $8, continues = $9, depth = $10 WHERE element_id = $11",
    )
    .bind(u.place.heading_id)
    .bind(u.place.sequence)
    .bind(line.kind.as_str())
    .bind(&line.text)
    .bind(u.character_id)
    .bind(&line.parenthetical)
    .bind(&line.extension)
    .bind(line.dual)
    .bind(line.continues)
    .bind(line.depth)
    .bind(u.place.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes elements with their paraphrases; their contexts go by cascade.
async fn delete_elements(conn: &mut AnyConnection, ids: &[i64]) -> Result<()> {
    characters::delete_paraphrases_of(conn, Originals::Elements(ids)).await?;
    for chunk in ids.chunks(500) {
        sqlx::query(&format!(
            "DELETE FROM elements WHERE element_id IN ({})",
            id_list(chunk)
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes sections that no longer hold anything (their lines were moved or deleted).
async fn delete_sections(conn: &mut AnyConnection, ids: &[i64]) -> Result<()> {
    for chunk in ids.chunks(500) {
        sqlx::query(&format!(
            "DELETE FROM section_headings WHERE heading_id IN ({})",
            id_list(chunk)
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Ids are integers from the database, so they can be written into the SQL safely.
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scripts::ElementKind;

    /// The scan the queues replaced: the first free old item of the sort from the cursor on.
    fn scanned(pairs: &mut Pairs, ops: &[DiffOp], old: &[Item<'_>], new: &[Item<'_>]) {
        for op in ops {
            let DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } = *op
            else {
                continue;
            };
            let mut cursor = old_index;
            for (n, item) in new.iter().enumerate().skip(new_index).take(new_len) {
                if pairs.new_to_old[n].is_some() || item.is_heading() {
                    continue;
                }
                let found = (cursor..old_index + old_len)
                    .find(|o| !pairs.old_used[*o] && old[*o].sort() == item.sort());
                if let Some(o) = found {
                    pairs.join(o, n);
                    cursor = o + 1;
                }
            }
        }
    }

    #[test]
    fn a_line_rewritten_in_place_keeps_the_id_the_scan_gave_it() {
        let kinds = [
            ElementKind::Action,
            ElementKind::Dialogue,
            ElementKind::Transition,
        ];
        let lines: Vec<Line> = (0..60)
            .map(|i| Line::plain(kinds[(i * 7 + i / 5) % 3], &format!("line {i}")))
            .collect();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..200 {
            let old: Vec<Item<'_>> = (0..30).map(|_| Item::Line(&lines[next(60)])).collect();
            let new: Vec<Item<'_>> = (0..30).map(|_| Item::Line(&lines[next(60)])).collect();
            let ops = diff(&old, &new);
            let mut queued = Pairs::new(old.len(), new.len());
            for _ in 0..5 {
                queued.join(next(30), next(30));
            }
            let mut scan = Pairs {
                new_to_old: queued.new_to_old.clone(),
                old_used: queued.old_used.clone(),
            };
            queued.join_in_place(&ops, &old, &new, false);
            scanned(&mut scan, &ops, &old, &new);
            assert_eq!(queued.new_to_old, scan.new_to_old);
        }
    }
}
