// Import and export buttons: the same native dialogs as the File menu, opened by the app.

import type { ExportFormat } from '../api';
import type { AppContext } from '../context';
import { button, h } from '../dom';

export const FORMAT_LABEL: Record<ExportFormat, string> = { fountain: 'Fountain', fdx: 'Final Draft', pdf: 'PDF' };

export async function importScript(app: AppContext): Promise<void> {
  const summary = await app.attempt(() => app.api.screenplayImportDialog());
  if (!summary) return;
  await app.openScript(summary.scriptId);
  app.notify(`Imported ${summary.sections} scenes, ${summary.characters} characters, ${summary.elements} elements.`);
}

export function importButton(app: AppContext): HTMLButtonElement {
  return button('Import\u2026', 'script-import', () => void importScript(app), { kind: 'ghost', title: 'Import a .fountain or .fdx file' });
}

/** Export buttons for the open script; `beforeExport` saves pending editor text first. */
export function exportBar(app: AppContext, beforeExport: () => Promise<void> = async () => {}): HTMLElement {
  const exportAs = async (format: ExportFormat) => {
    if (!app.script) return;
    const scriptId = app.script.scriptId;
    await app.attempt(beforeExport);
    const path = await app.attempt(() => app.api.screenplayExportDialog(scriptId, format));
    if (path) app.notify(`Exported to ${path}`);
  };
  const formats: ExportFormat[] = ['fountain', 'fdx', 'pdf'];
  return h(
    'div',
    { class: 'export-bar', attrs: { role: 'group', 'aria-label': 'Export' } },
    h('span', { class: 'export-label' }, 'Export'),
    formats.map((f) => button(FORMAT_LABEL[f], `script-export-${f}`, () => void exportAs(f), { kind: 'small', title: `Export as ${FORMAT_LABEL[f]}` })),
  );
}
