export { type CoverSheet, type CoverSheetKind, coverSheetPayload, parseCoverSheetPayload } from './payload.js';
export { findCoverSheet } from './read.js';
export { makeCoverSheetPdf } from './sheet.js';
