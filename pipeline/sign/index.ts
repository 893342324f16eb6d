/**
 * Signing stage: the agency's PAdES signature on a finished PDF/A (sign.ts), made with its PKCS#12
 * certificate (cades.ts) and shown on page 1, top right (appearance.ts).
 */
export { type AgencyCertificate, type SignedPdf, signPdfA } from './sign.js';
