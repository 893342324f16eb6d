/**
 * The package's descriptive metadata: the dossier's and every document's Circular 05/2025 fields
 * as the manifest holds them (`tt05.xml`, under the circular's field names, each value marked when
 * Sohoa derived it or read it from the page), and a Dublin Core record for tools that know no other (`dc.xml`).
 */
import { DOCUMENT_FIELDS, DOSSIER_FIELDS, type MetadataRecord, metadataText } from '../../../pipeline/metadata/index.js';
import type { DossierManifest, ManifestMetadata } from '../manifest.js';
import { packagedDocuments } from './files.js';
import { optional, type XmlNode, xmlDocument } from './xml.js';

export const TT05_XML_NS = 'https://sohoa.gov.vn/ns/tt05/1.0/';

function fields(metadata: ManifestMetadata | undefined, names: { name: string }[]): XmlNode[] {
  const values: MetadataRecord = metadata?.values ?? {};
  const derived = new Set(metadata?.derived ?? []);
  const extracted = new Set(metadata?.extracted ?? []);
  return names
    .filter(({ name }) => values[name] !== undefined)
    .map(
      ({ name }) =>
        [
          name,
          { derived: derived.has(name) ? 'true' : undefined, readFromPage: extracted.has(name) ? 'true' : undefined },
          metadataText(values[name]!),
        ] as XmlNode,
    );
}

export function circularXml(manifest: DossierManifest): Buffer {
  return xmlDocument([
    'hoSo',
    { xmlns: TT05_XML_NS, fileCode: manifest.dossierCode },
    ...fields(manifest.metadata, DOSSIER_FIELDS),
    ...packagedDocuments(manifest).map(
      (doc): XmlNode => [
        'vanBan',
        { fileCode: doc.fileCode, kind: doc.kind, component: doc.component },
        ...fields(doc.metadata, DOCUMENT_FIELDS),
      ],
    ),
  ]);
}

export function dublinCoreXml(manifest: DossierManifest): Buffer {
  const values = manifest.metadata?.values ?? {};
  const text = (name: string) => (values[name] === undefined ? undefined : metadataText(values[name]!));
  const languages = Array.isArray(values.language) ? values.language : ['vi'];
  const keywords = Array.isArray(values.keyword) ? values.keyword : [];
  return xmlDocument([
    'oai_dc:dc',
    { 'xmlns:oai_dc': 'http://www.openarchives.org/OAI/2.0/oai_dc/', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/' },
    ['dc:title', {}, text('title') ?? `Hồ sơ ${manifest.dossierCode}`],
    ['dc:identifier', {}, manifest.dossierCode],
    ...optional('dc:publisher', manifest.agencyCode),
    ...optional('dc:date', text('startDate')),
    ...optional('dc:description', text('description')),
    ...keywords.map((k): XmlNode => ['dc:subject', {}, k]),
    ...languages.map((l): XmlNode => ['dc:language', {}, l]),
    ...optional('dc:relation', manifest.procedureCode ? `thủ tục ${manifest.procedureCode}` : undefined),
    ['dc:type', {}, 'Text'],
    ['dc:format', {}, 'application/pdf'],
  ]);
}
