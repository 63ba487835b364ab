// Editor text that could not be saved when its editor closed, by script: the next editor starts
// from it. Apart from the editor, so the shell can ask about it without loading CodeMirror.

export const drafts = new Map<number, string>();
