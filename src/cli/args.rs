//! Arguments that more than one noun takes.

use clap::{Args, ValueEnum};
use fountainai::sequence::ElementType;

// Where a new element goes in its section (no doc comment: clap would make it the about of
// every `add` that flattens it).
#[derive(Args, Debug)]
pub struct Position {
    /// Insert at this place in the section (1 = first); at the end when absent.
    #[arg(long)]
    pub position: Option<i64>,
}

/// The Central Sequence's element types, as clap choices (give with `ignore_case = true`, as
/// the app's names are case-blind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Type {
    Script,
    Section,
    Character,
    Action,
    #[value(name = "spokenWord", alias = "dialogue")]
    SpokenWord,
    Transition,
    Element,
}

impl From<Type> for ElementType {
    fn from(ty: Type) -> Self {
        match ty {
            Type::Script => ElementType::Script,
            Type::Section => ElementType::Section,
            Type::Character => ElementType::Character,
            Type::Action => ElementType::Action,
            Type::SpokenWord => ElementType::SpokenWord,
            Type::Transition => ElementType::Transition,
            Type::Element => ElementType::Element,
        }
    }
}

/// `key=value`, for contexts and story filters.
pub fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected key=value, got {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_type_is_a_choice_by_its_own_name() {
        for ty in ElementType::ALL {
            let choice = Type::from_str(ty.as_str(), true).map(ElementType::from);
            assert_eq!(choice, Ok(ty));
        }
    }
}
