//! Arguments that more than one noun takes.

use clap::Args;
use fountainai::live::player;
use fountainai::music::Score;
use fountainai::scripts::{ElementKind, NewElement};
use fountainai::{Error, Result};

// Where a new element goes in its section (no doc comment: clap would make it the about of
// every `add` that flattens it).
#[derive(Args, Debug)]
pub struct Position {
    /// Insert at this place in the section (1 = first); at the end when absent.
    #[arg(long)]
    pub position: Option<i64>,
}

impl Position {
    /// A new element of `kind` to go at this place.
    pub fn element(
        self,
        kind: ElementKind,
        text: String,
        character_id: Option<i64>,
        parenthetical: Option<String>,
    ) -> NewElement {
        NewElement {
            kind,
            text,
            character_id,
            parenthetical,
            position: self.position,
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
    /// Start at this scene's first line (its heading id, as `section list` gives it).
    #[arg(long, value_name = "HEADING_ID")]
    pub scene: Option<i64>,
    /// Start at this line (its element id).
    #[arg(long, value_name = "ELEMENT_ID")]
    pub line: Option<i64>,
}

impl Start {
    /// Where to start, as the app asks for it too.
    pub fn at(&self) -> player::StartAt {
        use player::StartAt;
        match (&self.cue, self.scene, self.line) {
            (Some(name), _, _) => StartAt::Cue { name: name.clone() },
            (None, Some(heading_id), _) => StartAt::Scene { heading_id },
            (None, None, Some(element_id)) => StartAt::Line { element_id },
            (None, None, None) => StartAt::Seconds {
                seconds: self.from.unwrap_or(0.0),
            },
        }
    }

    /// The second of `score` to start from.
    pub fn seconds(&self, score: &Score) -> Result<f64> {
        player::start_seconds(score, &self.at()).map_err(|err| match self.from {
            Some(from) if !(from.is_finite() && from >= 0.0) => {
                Error::invalid(format!("--from is a number of seconds from 0, not {from}"))
            }
            _ => err,
        })
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
    use clap::ValueEnum;
    use fountainai::scripts::ElementKind;
    use fountainai::sequence::ElementType;

    // The command line takes the core's own names, as the app and the JSON do.
    #[test]
    fn every_element_type_and_kind_is_a_choice_by_its_own_name() {
        for ty in ElementType::ALL {
            assert_eq!(ElementType::from_str(ty.as_str(), true), Ok(ty));
        }
        for kind in ElementKind::ALL {
            assert_eq!(ElementKind::from_str(kind.as_str(), false), Ok(kind));
        }
    }
}
