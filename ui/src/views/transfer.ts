// Import and export buttons: the same native dialogs as the File menu, opened by the app.

import type { ExportFormat } from '../api';
import type { AppContext } from '../context';
import { button, h } from '../dom';

export const FORMAT_LABEL: Record<ExportFormat, string> = { fountain: 'Fountain', fdx: 'Final Draft', pdf: 'PDF' };

export const isExportFormat = (name: string): name is ExportFormat => Object.hasOwn(FORMAT_LABEL, name);

export async function importScript(app: AppContext): Promise<void> {
  const summary = await app.attempt(() => app.api.screenplayImportDialog());
  if (!summary) return;
  await app.openScript(summary.scriptId);
  app.notify(`Imported ${summary.sections} scenes, ${summary.characters} characters, ${summary.elements} elements.`);
}

export function importButton(app: AppContext): HTMLButtonElement {
  return button('Import\u2026', 'script-import', () => void importScript(app), { kind: 'ghost', title: 'Import a .fountain or .fdx file' });
}

/**
 * Exports the open script through the native save dialog. `save` first saves what the view
 * holds unsaved; when it cannot, nothing is exported, so a file never misses the latest edits.
 */
export async function exportScript(app: AppContext, format: ExportFormat, save: () => Promise<boolean> = async () => true): Promise<void> {
  if (!app.script) {
    app.notify('Open a script first, then export it.');
    return;
  }
  const scriptId = app.script.scriptId;
  if ((await app.attempt(save)) !== true) {
    app.showError({ code: 'io', message: 'The latest edits are not saved yet, so nothing was exported. Try again once they are saved.' });
    return;
  }
  const path = await app.attempt(() => app.api.screenplayExportDialog(scriptId, format));
  if (path) app.notify(`Exported to ${path}`);
}

/** Export buttons for the open script; `save` saves pending editor text first. */
export function exportBar(app: AppContext, save?: () => Promise<boolean>): HTMLElement {
  const exportAs = (format: ExportFormat) => exportScript(app, format, save);
  const formats: ExportFormat[] = ['fountain', 'fdx', 'pdf'];
  return h(
    'div',
    { class: 'export-bar', attrs: { role: 'group', 'aria-label': 'Export' } },
    h('span', { class: 'export-label' }, 'Export'),
    formats.map((f) => button(FORMAT_LABEL[f], `script-export-${f}`, () => void exportAs(f), { kind: 'small', title: `Export as ${FORMAT_LABEL[f]}` })),
  );
}
