/// Every app command as `module::function`, the one list the others come from: main.rs hands it
/// to `generate_handler!`, build.rs makes one permission each and writes
/// `capabilities/main.json` allowing exactly those, and the root's `tests/ui_contract.rs` keeps the UI's
/// command names (`ui/src/generated/commands.ts`) the same.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            cmd::script_create,
            cmd::script_list,
            cmd::script_get,
            cmd::script_update,
            cmd::script_delete,
            cmd::section_add,
            cmd::section_list,
            cmd::section_update,
            cmd::section_delete,
            cmd::section_reorder,
            cmd::element_add,
            cmd::element_list,
            cmd::element_update,
            cmd::element_delete,
            cmd::element_move,
            cmd::character_create,
            cmd::character_list,
            cmd::character_update,
            cmd::character_delete,
            cmd::character_lines,
            cmd::paraphrase_add,
            cmd::paraphrase_list,
            cmd::paraphrase_promote,
            cmd::paraphrase_delete,
            cmd::session_create,
            cmd::session_list,
            cmd::session_update,
            cmd::session_delete,
            cmd::context_get,
            cmd::context_set,
            cmd::context_delete,
            cmd::context_put,
            cmd::sequence_generate,
            cmd::sequence_reorder,
            cmd::version_create,
            cmd::version_list,
            cmd::version_get,
            cmd::version_diff,
            cmd::version_restore,
            cmd::story_full,
            cmd::story_sequences,
            cmd::story_validate,
            cmd::example_load,
            cmd::setting_get,
            cmd::setting_set,
            cmd::app_ready,
            closing::app_close,
            // music
            cmd::music_moods,
            cmd::music_score,
            cmd::music_orchestrate,
            cmd::music_sheet_png,
            cmd::music_render_audio,
            // ui branch: scenes that undo whole, screenplays in and out
            cmd::section_remove,
            cmd::section_restore,
            cmd::screenplay_fountain_text,
            cmd::screenplay_sync,
            transfer::screenplay_import_dialog,
            transfer::screenplay_export_dialog,
            transfer::screenplay_launch_import,
            transfer::bundle_export,
            transfer::bundle_export_dialog,
            transfer::script_link,
            transfer::script_link_dialog,
            transfer::script_unlink,
            transfer::script_linked,
            // live: the transport, the output picker and recording from a keyboard
            live::live_ports,
            live::live_state,
            live::live_output_choose,
            live::live_play,
            live::live_transport,
            live::live_record_start,
            live::live_record_stop,
            live::live_audition,
            // the editor: merge after a conflict, crash drafts, deletions that undo whole
            editing::screenplay_editor_text,
            editing::screenplay_merge,
            editing::screenplay_save,
            editing::draft_save,
            editing::draft_get,
            editing::draft_clear,
            editing::element_remove,
            editing::element_restore,
            editing::character_remove,
            editing::character_restore,
            editing::session_remove,
            editing::session_restore,
            // moods suggested from the text, reports
            cmd::moods_suggest,
            cmd::moods_list,
            cmd::moods_review,
            cmd::report_get,
            cmd::report_csv,
            transfer::report_save_dialog,
            // backups: File → Restore From Backup…
            backups::backup_list,
            backups::backup_create,
            backups::backup_restore,
            // pages: the page count and breaks the PDF prints, for the editor and the library
            cmd::screenplay_pages,
            // the writers' room: File → Open Writers' Room…, who may write, other writers' changes
            room::room_access,
            room::room_follow,
            room::room_open,
            room::room_open_local,
            room::room_note,
        }
    };
}

/// The names alone, for the permissions and the UI.
macro_rules! command_names {
    ($($module:ident :: $name:ident),* $(,)?) => {
        [$(stringify!($name)),*]
    };
}

// main.rs registers the commands through the macro and needs no names.
#[allow(dead_code)]
pub const COMMANDS: &[&str] = &app_commands!(command_names);
