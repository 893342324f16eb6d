/**
 * The package's preservation metadata (PREMIS 3): every representation file as an object with its
 * SHA-256 fixity, size, format and original name; the dossier's history as events — each
 * document's digitization and text recognition, signatures, failed pages run again, metadata
 * corrections, withdrawals — and the agents behind them (Sohoa, the users, the agency).
 */
import type { DossierManifest } from '../manifest.js';
import type { PackageFile } from './files.js';
import { optional, type XmlNode, xmlDocument } from './xml.js';

export const PREMIS_NS = 'http://www.loc.gov/premis/v3';

const FORMAT_NAMES: Record<string, string> = {
  'application/pdf': 'PDF/A',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
  'text/plain': 'Plain text (UTF-8)',
};

interface Agent {
  id: string;
  name: string;
  type: string;
}

interface PremisEvent {
  type: string;
  at: string;
  detail: string;
  outcome?: string;
  agents: { id: string; role: string }[];
  objects: string[];
}

function objectNode(file: PackageFile): XmlNode {
  return [
    'premis:object',
    { 'xsi:type': 'premis:file' },
    ['premis:objectIdentifier', {}, ['premis:objectIdentifierType', {}, 'local'], ['premis:objectIdentifierValue', {}, file.path]],
    [
      'premis:objectCharacteristics',
      {},
      ['premis:compositionLevel', {}, '0'],
      ['premis:fixity', {}, ['premis:messageDigestAlgorithm', {}, 'SHA-256'], ['premis:messageDigest', {}, file.sha256]],
      ['premis:size', {}, String(file.size)],
      ['premis:format', {}, ['premis:formatDesignation', {}, ['premis:formatName', {}, FORMAT_NAMES[file.mediaType] ?? file.mediaType]]],
    ],
    ...optional('premis:originalName', file.originalName),
  ];
}

function eventNode(event: PremisEvent, index: number): XmlNode {
  return [
    'premis:event',
    {},
    ['premis:eventIdentifier', {}, ['premis:eventIdentifierType', {}, 'local'], ['premis:eventIdentifierValue', {}, `event-${index + 1}`]],
    ['premis:eventType', {}, event.type],
    ['premis:eventDateTime', {}, event.at],
    ['premis:eventDetailInformation', {}, ['premis:eventDetail', {}, event.detail]],
    ['premis:eventOutcomeInformation', {}, ['premis:eventOutcome', {}, event.outcome ?? 'success']],
    ...event.agents.map(
      (a): XmlNode => [
        'premis:linkingAgentIdentifier',
        {},
        ['premis:linkingAgentIdentifierType', {}, 'local'],
        ['premis:linkingAgentIdentifierValue', {}, a.id],
        ['premis:linkingAgentRole', {}, a.role],
      ],
    ),
    ...event.objects.map(
      (o): XmlNode => [
        'premis:linkingObjectIdentifier',
        {},
        ['premis:linkingObjectIdentifierType', {}, 'local'],
        ['premis:linkingObjectIdentifierValue', {}, o],
      ],
    ),
  ];
}

function agentNode(agent: Agent): XmlNode {
  return [
    'premis:agent',
    {},
    ['premis:agentIdentifier', {}, ['premis:agentIdentifierType', {}, 'local'], ['premis:agentIdentifierValue', {}, agent.id]],
    ['premis:agentName', {}, agent.name],
    ['premis:agentType', {}, agent.type],
  ];
}

/** The dossier's history as PREMIS events, oldest first, with the agents they name. */
function history(
  manifest: DossierManifest,
  files: PackageFile[],
  producer: string,
  now: string,
): { events: PremisEvent[]; agents: Agent[] } {
  const agents = new Map<string, Agent>([
    ['sohoa', { id: 'sohoa', name: producer, type: 'software' }],
    [`agency:${manifest.agencyCode}`, { id: `agency:${manifest.agencyCode}`, name: manifest.agencyCode, type: 'organization' }],
  ]);
  const user = (name: string) => {
    const id = `user:${name}`;
    agents.set(id, { id, name, type: 'user account' });
    return id;
  };
  const pathsOf = (fileCode: string, representation?: PackageFile['representation']) =>
    files.filter((f) => f.fileCode === fileCode && (!representation || f.representation === representation)).map((f) => f.path);
  const events: PremisEvent[] = [];
  for (const doc of manifest.documents) {
    const done = doc.pages.filter((p) => p.status === 'done').length;
    const failed = doc.pages.length - done;
    events.push({
      type: 'digitization',
      at: doc.completedAt,
      detail: `${doc.fileCode} (${doc.kind}): ${done} page(s) digitized, ${failed} failed, PDF/A-${doc.pdfaPart ?? '2b'}`,
      outcome: failed ? 'partial' : 'success',
      agents: [
        { id: user(doc.submittedBy), role: 'submitter' },
        { id: 'sohoa', role: 'executing program' },
      ],
      objects: [...pathsOf(doc.fileCode, 'originals'), ...pathsOf(doc.fileCode, 'pdfa')],
    });
    events.push({
      type: 'text recognition (OCR)',
      at: doc.completedAt,
      detail: `${doc.fileCode}: Tesseract (tesseract.js), Vietnamese and English`,
      agents: [{ id: 'sohoa', role: 'executing program' }],
      objects: pathsOf(doc.fileCode, 'ocr-text'),
    });
    for (const redo of doc.redone ?? []) {
      events.push({
        type: 'modification',
        at: redo.at,
        detail: `${doc.fileCode}: failed pages run again`,
        agents: [{ id: user(redo.by), role: 'requester' }],
        objects: pathsOf(doc.fileCode, 'pdfa'),
      });
    }
    for (const change of doc.metadata?.changes ?? []) {
      events.push({
        type: 'metadata modification',
        at: change.at,
        detail: `${doc.fileCode}: ${Object.keys(change.fields).join(', ')} corrected`,
        agents: [{ id: user(change.by), role: 'requester' }],
        objects: pathsOf(doc.fileCode, 'pdfa'),
      });
    }
    if (doc.withdrawn) {
      events.push({
        type: 'deaccession',
        at: doc.withdrawn.at,
        detail: `${doc.fileCode} withdrawn from the dossier: ${doc.withdrawn.reason}`,
        agents: [{ id: user(doc.withdrawn.by), role: 'authorizer' }],
        objects: [],
      });
    }
  }
  for (const change of manifest.metadata?.changes ?? []) {
    events.push({
      type: 'metadata modification',
      at: change.at,
      detail: `${manifest.dossierCode}: ${Object.keys(change.fields).join(', ')} corrected`,
      agents: [{ id: user(change.by), role: 'requester' }],
      objects: [],
    });
  }
  const signedPaths = new Map(files.filter((f) => f.representation === 'pdfa').map((f) => [f.sha256, f.path]));
  for (const object of manifest.objects) {
    const path = object.signature ? signedPaths.get(object.sha256) : undefined;
    if (!object.signature || !path) continue;
    events.push({
      type: 'digital signature generation',
      at: object.signature.signedAt,
      detail: `signed by ${object.signature.signer} for ${object.signature.agencyName} (PAdES)`,
      agents: [{ id: `agency:${manifest.agencyCode}`, role: 'signer' }],
      objects: [path],
    });
  }
  events.push({
    type: 'information package creation',
    at: now,
    detail: 'E-ARK SIP made from the dossier manifest; every file checked against its SHA-256',
    agents: [{ id: 'sohoa', role: 'executing program' }],
    objects: [],
  });
  // Instants, not strings: signing times carry the Vietnam offset, the others are UTC.
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { events, agents: [...agents.values()] };
}

export function premisXml(manifest: DossierManifest, files: PackageFile[], producer: string, now: string): Buffer {
  const { events, agents } = history(manifest, files, producer, now);
  return xmlDocument([
    'premis:premis',
    {
      'xmlns:premis': PREMIS_NS,
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': `${PREMIS_NS} https://www.loc.gov/standards/premis/premis.xsd`,
      version: '3.0',
    },
    ...files.map(objectNode),
    ...events.map(eventNode),
    ...agents.map(agentNode),
  ]);
}
