//! The small answers of operations whose own result is bare (a delete returns nothing) or more
//! than a caller wants to see (a version carries its whole snapshot). The CLI prints these, and
//! the app can return them, so both speak the same JSON.

use serde::{Deserialize, Serialize};

use crate::scripts::Element;
use crate::sequence::{ElementType, Version};

/// A delete went through: `{"deleted": true, "scriptId": 1}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deleted {
    pub deleted: bool,
    #[serde(flatten)]
    pub id: DeletedId,
}

/// What was deleted, named by its id's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeletedId {
    ScriptId(i64),
    HeadingId(i64),
    ElementId(i64),
    CharacterId(i64),
    ParaphraseId(i64),
    SessionId(i64),
    ContextId(i64),
}

impl From<DeletedId> for Deleted {
    fn from(id: DeletedId) -> Self {
        Deleted { deleted: true, id }
    }
}

/// What a new action and a new line of dialogue both answer besides their own id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Added {
    pub heading_id: i64,
    pub sequence_number: Option<i64>,
    pub text: String,
    pub character_id: Option<i64>,
}

impl Added {
    /// The element's id with the rest of what both answers carry.
    fn split(e: Element) -> (i64, Self, Option<String>) {
        let added = Added {
            heading_id: e.heading_id,
            sequence_number: e.sequence_number,
            text: e.text,
            character_id: e.character_id,
        };
        (e.element_id, added, e.parenthetical)
    }
}

/// A new action in the v1 contract's shape (`actionId`, no kind).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionAdded {
    pub action_id: i64,
    #[serde(flatten)]
    pub added: Added,
}

impl From<Element> for ActionAdded {
    fn from(e: Element) -> Self {
        let (action_id, added, _) = Added::split(e);
        ActionAdded { action_id, added }
    }
}

/// A new line of dialogue (spoken word) in the v1 contract's shape (`dialogueId`, no kind).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineAdded {
    pub dialogue_id: i64,
    #[serde(flatten)]
    pub added: Added,
    pub parenthetical: Option<String>,
}

impl From<Element> for LineAdded {
    fn from(e: Element) -> Self {
        let (dialogue_id, added, parenthetical) = Added::split(e);
        LineAdded {
            dialogue_id,
            added,
            parenthetical,
        }
    }
}

/// A version was taken; its snapshot stays in the database (`version show` prints it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionCreated {
    pub version_number: i64,
    pub element_type: ElementType,
    pub element_id: i64,
    pub created_at: String,
}

impl From<Version> for VersionCreated {
    fn from(v: Version) -> Self {
        VersionCreated {
            version_number: v.version_number,
            element_type: v.element_type,
            element_id: v.element_id,
            created_at: v.created_at,
        }
    }
}

/// Version `restored` is back, kept as the new version `version_number`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionRestored {
    pub version_number: i64,
    pub restored: i64,
    pub element_type: ElementType,
    pub element_id: i64,
}

impl VersionRestored {
    pub fn new(new: &Version, restored: i64) -> Self {
        VersionRestored {
            version_number: new.version_number,
            restored,
            element_type: new.element_type,
            element_id: new.element_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delete_names_its_id_after_deleted() {
        let json = serde_json::to_string(&Deleted::from(DeletedId::HeadingId(7))).unwrap();
        assert_eq!(json, r#"{"deleted":true,"headingId":7}"#);
    }
}
