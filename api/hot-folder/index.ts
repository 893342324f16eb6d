/** The hot folder (`sohoa watch`, SOHOA_WATCH_DIR): scans dropped into a folder are digitized and moved to done/ or failed/. */
export { ERROR_NOTE, FAILED_PAGES_NOTE } from './move.js';
export { awaitOutcome, FileRefused, type Outcome, submitHotFile } from './process.js';
export { DONE, FAILED, type HotFile, scanHotFolder } from './scan.js';
export { HOT_FOLDER_DEFAULTS, type HotFolder, type HotFolderOptions, startHotFolder } from './watcher.js';
