//! `fountainai sequence …`: Central Sequence numbers and reordering of any element type.

use clap::Subcommand;
use fountainai::sequence::{self, ElementType, Placement};
use fountainai::{Database, Result};

use super::{reply, Reply};

#[derive(Subcommand, Debug)]
pub enum SequenceCmd {
    /// generateSequenceNumber: the element's number (allocated once, then the same).
    Generate {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        element_id: i64,
    },
    /// reorderElements: --order 5,3,4 (full order), or --place 5:1,4:2 (id:newSequence).
    Reorder {
        #[arg(ignore_case = true)]
        element_type: ElementType,
        /// The script (sections, characters) or section (elements) to reorder in.
        #[arg(long)]
        scope: Option<i64>,
        #[arg(
            long,
            value_delimiter = ',',
            conflicts_with = "place",
            required_unless_present = "place"
        )]
        order: Vec<i64>,
        #[arg(long, value_delimiter = ',', value_parser = parse_placement)]
        place: Vec<Placement>,
    },
}

impl SequenceCmd {
    pub async fn run(self, db: &Database) -> Result<Reply> {
        match self {
            SequenceCmd::Generate {
                element_type: ty,
                element_id,
            } => reply(sequence::generate_sequence_number(db, ty, element_id).await?),
            SequenceCmd::Reorder {
                element_type: ty,
                scope,
                order,
                place,
            } => {
                let placements = if place.is_empty() {
                    sequence::placements_from_order(&order)
                } else {
                    place
                };
                reply(sequence::reorder_elements(db, ty, scope, &placements).await?)
            }
        }
    }
}

/// `id:newSequence`.
fn parse_placement(s: &str) -> std::result::Result<Placement, String> {
    let parsed = s
        .split_once(':')
        .and_then(|(id, seq)| Some((id.trim().parse().ok()?, seq.trim().parse().ok()?)));
    parsed
        .map(|(element_id, new_sequence)| Placement {
            element_id,
            new_sequence,
        })
        .ok_or_else(|| format!("expected id:newSequence, got {s:?}"))
}
