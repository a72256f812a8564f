// The file dialogs of the app. Linux and Windows dialogs pick files or folders, never both (as
// Electron documents), so ship-gate run folders and run bundles each have a dialog of their own.
import { dialog } from 'electron'

export async function pickOpen(purpose: 'folders' | 'bundle'): Promise<string[] | null> {
  const r =
    purpose === 'folders'
      ? await dialog.showOpenDialog({ title: 'Import ship-gate run folders', properties: ['openDirectory', 'multiSelections'] })
      : await dialog.showOpenDialog({ title: 'Import a run bundle', properties: ['openFile'], filters: [{ name: 'Shipgate Lab run bundle', extensions: ['json'] }] })
  return r.canceled ? null : r.filePaths
}

export async function pickSavePath(defaultName: string): Promise<string | null> {
  const r = await dialog.showSaveDialog({ defaultPath: defaultName })
  return r.canceled || !r.filePath ? null : r.filePath
}
