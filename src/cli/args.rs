//! Arguments that more than one noun takes.

use clap::{Args, ValueEnum};
use fountainai::live::player;
use fountainai::music::Score;
use fountainai::sequence::ElementType;
use fountainai::{Error, Result};

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

// Where playing starts (no doc comment, as for Position).
#[derive(Args, Debug)]
#[group(multiple = false)]
pub struct Start {
    /// Start this many seconds into the score.
    #[arg(long, value_name = "SECONDS")]
    pub from: Option<f64>,
    /// Start at the cue with this name (e.g. 1M2).
    #[arg(long, value_name = "NAME")]
    pub cue: Option<String>,
}

impl Start {
    /// The second of `score` to start from.
    pub fn seconds(&self, score: &Score) -> Result<f64> {
        match (&self.cue, self.from) {
            (Some(cue), _) => Ok(player::cue_span(score, cue)?.from),
            (None, Some(from)) if !(from.is_finite() && from >= 0.0) => Err(Error::invalid(
                format!("--from is a number of seconds from 0, not {from}"),
            )),
            (None, from) => Ok(from.unwrap_or(0.0)),
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
