//! Ids across databases. A document numbers what it holds 1.. in document order, so the same
//! script reads the same in any database; export maps the database's ids to those, import
//! maps them back to the new rows' ids. The same map rewrites the ids inside JSON (a version's
//! snapshot, a FullStory) by their key.

use std::collections::HashMap;

use serde_json::Value;

use crate::sequence::ElementType;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Script,
    Section,
    Element,
    Character,
    Session,
    Context,
    Paraphrase,
}

impl Kind {
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Script,
        Kind::Section,
        Kind::Element,
        Kind::Character,
        Kind::Session,
        Kind::Context,
        Kind::Paraphrase,
    ];

    /// The kind of id a JSON key holds (the services' camelCase names).
    fn of_key(key: &str) -> Option<Kind> {
        Some(match key {
            "scriptId" => Kind::Script,
            "headingId" => Kind::Section,
            "elementId" | "actionId" | "dialogueId" => Kind::Element,
            "characterId" => Kind::Character,
            "sessionId" => Kind::Session,
            "contextId" => Kind::Context,
            "paraphraseId" => Kind::Paraphrase,
            _ => return None,
        })
    }

    /// What a version or a paraphrase of this type is attached to.
    pub(crate) fn of_type(ty: ElementType) -> Kind {
        match ty {
            ElementType::Script => Kind::Script,
            ElementType::Section => Kind::Section,
            ElementType::Character => Kind::Character,
            _ => Kind::Element,
        }
    }

    /// The table and id column, for the ids an import takes for rows that are no longer there.
    pub(crate) fn table(self) -> (&'static str, &'static str) {
        match self {
            Kind::Script => ("scripts", "script_id"),
            Kind::Section => ("section_headings", "heading_id"),
            Kind::Element => ("elements", "element_id"),
            Kind::Character => ("characters", "character_id"),
            Kind::Session => ("sessions", "session_id"),
            Kind::Context => ("contexts", "context_id"),
            Kind::Paraphrase => ("paraphrases", "paraphrase_id"),
        }
    }
}

/// `(kind, id) → id`; an id it has not been told about (a version naming a row deleted since)
/// gets one of the kind's fresh ids given to it, or else the kind's next one.
#[derive(Debug, Default, Clone)]
pub(crate) struct IdMap {
    known: HashMap<(Kind, i64), i64>,
    next: HashMap<Kind, i64>,
    fresh: HashMap<Kind, std::collections::VecDeque<i64>>,
}

impl IdMap {
    pub(crate) fn insert(&mut self, kind: Kind, from: i64, to: i64) {
        self.known.insert((kind, from), to);
    }

    /// Where the ids handed out for unknown ones start.
    pub(crate) fn start_unknown_at(&mut self, kind: Kind, next: i64) {
        self.next.insert(kind, next);
    }

    /// The next id it would hand out for an unknown one.
    pub(crate) fn next_unknown(&self, kind: Kind) -> i64 {
        self.next.get(&kind).copied().unwrap_or(1)
    }

    /// Ids the database handed out, for the unknown ones of `kind` in the order they are met.
    pub(crate) fn give_fresh(&mut self, kind: Kind, ids: Vec<i64>) {
        self.fresh.entry(kind).or_default().extend(ids);
    }

    pub(crate) fn map(&mut self, kind: Kind, id: i64) -> i64 {
        if let Some(to) = self.known.get(&(kind, id)) {
            return *to;
        }
        let to = match self.fresh.get_mut(&kind).and_then(|f| f.pop_front()) {
            Some(to) => to,
            None => {
                let next = self.next.entry(kind).or_insert(1);
                let to = *next;
                *next = next.saturating_add(1);
                to
            }
        };
        self.known.insert((kind, id), to);
        to
    }

    /// Rewrites every id in `value` by its key; a paraphrase's `originalId` by its
    /// `originalType`.
    pub(crate) fn remap(&mut self, value: &mut Value) {
        match value {
            Value::Array(items) => items.iter_mut().for_each(|v| self.remap(v)),
            Value::Object(fields) => {
                let original = fields
                    .get("originalType")
                    .and_then(Value::as_str)
                    .and_then(|t| t.parse::<ElementType>().ok())
                    .map(Kind::of_type);
                for (key, v) in fields.iter_mut() {
                    let kind = match key.as_str() {
                        "originalId" => original,
                        other => Kind::of_key(other),
                    };
                    match (kind, v.as_i64()) {
                        (Some(kind), Some(id)) => *v = Value::from(self.map(kind, id)),
                        _ => self.remap(v),
                    }
                }
            }
            _ => {}
        }
    }
}
