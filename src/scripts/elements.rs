//! The ordered elements of a section: actions, dialogue (spoken words), transitions and the
//! other screenplay paragraphs.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use tracing::instrument;

use super::sections::fetch_section;
use super::{touch, ScriptOf};
use crate::characters::{self, Originals};
use crate::db::Database;
use crate::error::{Error, Result};
use crate::sequence::{self, ElementType};

#[derive(ts_rs::TS, Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "cli",
    derive(clap::ValueEnum),
    value(rename_all = "snake_case")
)]
pub enum ElementKind {
    Action,
    Dialogue,
    Transition,
    Lyrics,
    Centered,
    Note,
    Synopsis,
    PageBreak,
    /// A Fountain `#` section (act, sequence), its depth in the `depth` column.
    Section,
    /// Fountain `/* */` text: kept, never shown or spoken.
    Boneyard,
}

impl ElementKind {
    pub const ALL: [ElementKind; 10] = [
        ElementKind::Action,
        ElementKind::Dialogue,
        ElementKind::Transition,
        ElementKind::Lyrics,
        ElementKind::Centered,
        ElementKind::Note,
        ElementKind::Synopsis,
        ElementKind::PageBreak,
        ElementKind::Section,
        ElementKind::Boneyard,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Action => "action",
            ElementKind::Dialogue => "dialogue",
            ElementKind::Transition => "transition",
            ElementKind::Lyrics => "lyrics",
            ElementKind::Centered => "centered",
            ElementKind::Note => "note",
            ElementKind::Synopsis => "synopsis",
            ElementKind::PageBreak => "page_break",
            ElementKind::Section => "section",
            ElementKind::Boneyard => "boneyard",
        }
    }

    /// The Central Sequence type an element of this kind is addressed as.
    pub fn element_type(self) -> ElementType {
        match self {
            ElementKind::Action => ElementType::Action,
            ElementKind::Dialogue => ElementType::SpokenWord,
            ElementKind::Transition => ElementType::Transition,
            _ => ElementType::Element,
        }
    }
}

impl std::str::FromStr for ElementKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        ElementKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid(format!("unknown element kind {s:?}")))
    }
}

impl TryFrom<String> for ElementKind {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

#[derive(ts_rs::TS, Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Element {
    pub element_id: i64,
    /// The v1 contract's names for the same id, present for actions and spoken words.
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action_id: Option<i64>,
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dialogue_id: Option<i64>,
    pub heading_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ElementKind,
    pub text: String,
    pub character_id: Option<i64>,
    pub parenthetical: Option<String>,
    pub sequence_number: Option<i64>,
}

impl Element {
    pub(crate) fn with_contract_ids(mut self) -> Self {
        self.action_id = (self.kind == ElementKind::Action).then_some(self.element_id);
        self.dialogue_id = (self.kind == ElementKind::Dialogue).then_some(self.element_id);
        self
    }
}

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewElement {
    pub kind: ElementKind,
    #[serde(default)]
    pub text: String,
    pub character_id: Option<i64>,
    pub parenthetical: Option<String>,
    /// Where to insert (1 = first); at the end when absent.
    pub position: Option<i64>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementUpdate {
    pub text: Option<String>,
    pub character_id: Option<i64>,
    /// An empty string removes the parenthetical.
    pub parenthetical: Option<String>,
}

#[derive(ts_rs::TS)]
#[ts(optional_fields = nullable)]
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveElement {
    /// Another section of the same script to move into; the same section when absent.
    pub heading_id: Option<i64>,
    pub position: i64,
}

pub(crate) async fn fetch_element(conn: &mut AnyConnection, element_id: i64) -> Result<Element> {
    let element: Element = sqlx::query_as("SELECT * FROM elements WHERE element_id = $1")
        .bind(element_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::not_found(format!("Element {element_id} not found.")))?;
    Ok(element.with_contract_ids())
}

/// Checks that a character exists in the given script.
pub(crate) async fn check_character(
    conn: &mut AnyConnection,
    script_id: i64,
    character_id: i64,
) -> Result<()> {
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT script_id FROM characters WHERE character_id = $1")
            .bind(character_id)
            .fetch_optional(&mut *conn)
            .await?;
    match owner {
        None => Err(Error::not_found(format!(
            "Character {character_id} not found."
        ))),
        Some(owner) if owner != script_id => Err(Error::invalid(format!(
            "character {character_id} belongs to another script"
        ))),
        Some(_) => Ok(()),
    }
}

/// Checks the fields that depend on the kind; returns the cleaned text and parenthetical.
pub(crate) fn shape(
    kind: ElementKind,
    text: &str,
    character: Option<i64>,
    parenthetical: Option<&str>,
) -> Result<(String, Option<String>)> {
    super::typed("text", text)?;
    if let Some(p) = parenthetical {
        super::typed("parenthetical", p)?;
    }
    let text = text.trim_end().trim_start_matches(['\n', '\r']).to_string();
    let parenthetical = parenthetical
        .map(clean_parenthetical)
        .filter(|p| !p.is_empty());
    // A cue with only a parenthetical (`BOB` / `(beat)`) is a line of its own in screenplays.
    let parenthetical_only = kind == ElementKind::Dialogue && parenthetical.is_some();
    if text.trim().is_empty() && kind != ElementKind::PageBreak && !parenthetical_only {
        return Err(Error::invalid(format!(
            "the text of a {} must not be empty",
            kind.as_str()
        )));
    }
    if kind == ElementKind::Dialogue && character.is_none() {
        return Err(Error::invalid("a line of dialogue needs a character"));
    }
    if character.is_some()
        && !matches!(
            kind,
            ElementKind::Dialogue | ElementKind::Action | ElementKind::Lyrics
        )
    {
        return Err(Error::invalid(format!(
            "a {} has no character",
            kind.as_str()
        )));
    }
    if parenthetical.is_some() && kind != ElementKind::Dialogue {
        return Err(Error::invalid("only dialogue has a parenthetical"));
    }
    Ok((text, parenthetical))
}

/// "(beat)" and "beat" mean the same parenthetical; store it without the brackets.
fn clean_parenthetical(p: &str) -> String {
    let p = p.trim();
    p.strip_prefix('(')
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(p)
        .trim()
        .to_string()
}

pub(crate) async fn insert_element(
    conn: &mut AnyConnection,
    heading_id: i64,
    new: &NewElement,
) -> Result<Element> {
    let section = fetch_section(conn, heading_id).await?;
    if let Some(character) = new.character_id {
        check_character(conn, section.script_id, character).await?;
    }
    let (text, parenthetical) = shape(
        new.kind,
        &new.text,
        new.character_id,
        new.parenthetical.as_deref(),
    )?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO elements (heading_id, kind, text, character_id, parenthetical) VALUES ($1, $2, $3, $4, $5) \
         RETURNING element_id",
    )
    .bind(heading_id)
    .bind(new.kind.as_str())
    .bind(text)
    .bind(new.character_id)
    .bind(parenthetical)
    .fetch_one(&mut *conn)
    .await?;
    sequence::generate(conn, ElementType::Element, id).await?;
    if let Some(position) = new.position {
        sequence::move_to(conn, ElementType::Element, id, position).await?;
    }
    touch(conn, section.script_id).await?;
    fetch_element(conn, id).await
}

#[instrument(skip(db, new), err)]
pub async fn add_element(db: &Database, heading_id: i64, new: NewElement) -> Result<Element> {
    let mut tx = super::writing(db, ScriptOf::Section(heading_id)).await?;
    let element = insert_element(&mut tx, heading_id, &new).await?;
    tx.commit().await?;
    Ok(element)
}

#[instrument(skip(db), err)]
pub async fn get_element(db: &Database, element_id: i64) -> Result<Element> {
    let mut conn = db.pool().acquire().await?;
    fetch_element(&mut conn, element_id).await
}

#[instrument(skip(db), err)]
pub async fn list_elements(db: &Database, heading_id: i64) -> Result<Vec<Element>> {
    let mut conn = db.pool().acquire().await?;
    fetch_section(&mut conn, heading_id).await?;
    let rows: Vec<Element> = sqlx::query_as(
        "SELECT * FROM elements WHERE heading_id = $1 ORDER BY sequence_number, element_id",
    )
    .bind(heading_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(Element::with_contract_ids).collect())
}

#[instrument(skip(db, update), err)]
pub async fn update_element(
    db: &Database,
    element_id: i64,
    update: ElementUpdate,
) -> Result<Element> {
    let mut tx = super::writing(db, ScriptOf::Element(element_id)).await?;
    let current = fetch_element(&mut tx, element_id).await?;
    let section = fetch_section(&mut tx, current.heading_id).await?;
    let character = update.character_id.or(current.character_id);
    if let Some(character) = update.character_id {
        check_character(&mut tx, section.script_id, character).await?;
    }
    let text = update.text.as_deref().unwrap_or(&current.text);
    let parenthetical = update
        .parenthetical
        .as_deref()
        .or(current.parenthetical.as_deref());
    let (text, parenthetical) = shape(current.kind, text, character, parenthetical)?;
    sqlx::query(
        "UPDATE elements SET text = $1, character_id = $2, parenthetical = $3 WHERE element_id = $4",
    )
    .bind(text)
    .bind(character)
    .bind(parenthetical)
    .bind(element_id)
    .execute(&mut *tx)
    .await?;
    touch(&mut tx, section.script_id).await?;
    let element = fetch_element(&mut tx, element_id).await?;
    tx.commit().await?;
    Ok(element)
}

pub(crate) async fn remove_element(conn: &mut AnyConnection, element_id: i64) -> Result<()> {
    let element = fetch_element(conn, element_id).await?;
    characters::delete_paraphrases_of(conn, Originals::Element(element_id)).await?;
    sequence::release(conn, ElementType::Element, element_id).await?;
    sqlx::query("DELETE FROM elements WHERE element_id = $1")
        .bind(element_id)
        .execute(&mut *conn)
        .await?;
    let section = fetch_section(conn, element.heading_id).await?;
    touch(conn, section.script_id).await
}

/// Deletes an element and its paraphrases; the section's order closes the gap.
#[instrument(skip(db), err)]
pub async fn delete_element(db: &Database, element_id: i64) -> Result<()> {
    let mut tx = super::writing(db, ScriptOf::Element(element_id)).await?;
    remove_element(&mut tx, element_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an element to a place in its section, or into another section of the same script.
#[instrument(skip(db), err)]
pub async fn move_element(db: &Database, element_id: i64, to: MoveElement) -> Result<Element> {
    let mut tx = super::writing(db, ScriptOf::Element(element_id)).await?;
    let element = fetch_element(&mut tx, element_id).await?;
    let from = fetch_section(&mut tx, element.heading_id).await?;
    if let Some(target) = to.heading_id.filter(|h| *h != element.heading_id) {
        let into = fetch_section(&mut tx, target).await?;
        if into.script_id != from.script_id {
            return Err(Error::invalid("an element can only move within its script"));
        }
        sequence::release(&mut tx, ElementType::Element, element_id).await?;
        sqlx::query("UPDATE elements SET heading_id = $1 WHERE element_id = $2")
            .bind(target)
            .bind(element_id)
            .execute(&mut *tx)
            .await?;
    }
    sequence::move_to(&mut tx, ElementType::Element, element_id, to.position).await?;
    touch(&mut tx, from.script_id).await?;
    let element = fetch_element(&mut tx, element_id).await?;
    tx.commit().await?;
    Ok(element)
}
