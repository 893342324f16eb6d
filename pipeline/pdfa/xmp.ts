/**
 * XMP metadata packet of a Sohoa PDF/A: Dublin Core, XMP basic, PDF and pdfaid schemas, plus two
 * extension schemas declared as PDF/A requires: Sohoa's (dossier, procedure and agency codes) and
 * the Circular 05/2025/TT-BNV fields of the dossier or the document, under the circular's names.
 */
import { DOCUMENT_FIELDS, DOSSIER_FIELDS, type MetadataRecord, metadataText } from '../metadata/index.js';

export interface XmpFields {
  title: string;
  identifier: string;
  producer: string;
  creatorTool: string;
  /** ISO 8601 with the Vietnam offset, e.g. 2026-11-28T07:31:26+07:00. */
  created: string;
  part: 1 | 2;
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  documentKind?: string;
  /** Circular 05/2025 fields of the dossier (the dossier's PDF/A) or of the document. */
  archival?: { level: 'dossier' | 'document'; values: MetadataRecord };
  /** ISO 639 codes of the text (dc:language); Vietnamese when not known. */
  languages?: string[];
}

export const SOHOA_NS = 'https://sohoa.gov.vn/ns/xmp/1.0/';

/** Circular 05/2025/TT-BNV fields, dossier and document level (one namespace each: fileCode is in both). */
export const TT05_NS = { dossier: 'https://sohoa.gov.vn/ns/tt05/hoso/1.0/', document: 'https://sohoa.gov.vn/ns/tt05/vanban/1.0/' };
const TT05_PREFIX = { dossier: 'tt05hs', document: 'tt05vb' };

interface ExtensionSchema {
  name: string;
  ns: string;
  prefix: string;
  /** Property name and description; every value is Text. */
  properties: [string, string][];
  values: Record<string, string>;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sohoaSchema(f: XmpFields): ExtensionSchema {
  const values: Record<string, string> = {};
  for (const name of ['dossierCode', 'agencyCode', 'procedureCode', 'documentKind'] as const)
    if (f[name] !== undefined) values[name] = f[name]!;
  return {
    name: 'Sohoa dossier digitization',
    ns: SOHOA_NS,
    prefix: 'sohoa',
    properties: [
      ['dossierCode', 'Dossier code (Circular 01/2018/TT-VPCP Art. 19)'],
      ['agencyCode', 'Receiving agency code (Circular 10/2016/TT-BTTTT)'],
      ['procedureCode', 'Administrative procedure code (national procedures database)'],
      ['documentKind', 'component or result'],
    ],
    values,
  };
}

function circularSchema(archival: NonNullable<XmpFields['archival']>): ExtensionSchema {
  const fields = archival.level === 'dossier' ? DOSSIER_FIELDS : DOCUMENT_FIELDS;
  return {
    name: `Circular 05/2025/TT-BNV ${archival.level} metadata`,
    ns: TT05_NS[archival.level],
    prefix: TT05_PREFIX[archival.level],
    properties: fields.map((field) => [field.name, field.label]),
    values: Object.fromEntries(
      fields
        .filter((field) => archival.values[field.name] !== undefined)
        .map((field) => [field.name, metadataText(archival.values[field.name]!)]),
    ),
  };
}

function schemaDeclaration(schema: ExtensionSchema): string {
  const properties = schema.properties
    .map(
      ([name, description]) => `
         <rdf:li rdf:parseType="Resource">
          <pdfaProperty:name>${name}</pdfaProperty:name>
          <pdfaProperty:valueType>Text</pdfaProperty:valueType>
          <pdfaProperty:category>external</pdfaProperty:category>
          <pdfaProperty:description>${escapeXml(description)}</pdfaProperty:description>
         </rdf:li>`,
    )
    .join('');
  return `
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>${escapeXml(schema.name)}</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>${schema.ns}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>${schema.prefix}</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>${properties}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>`;
}

function schemaValues(schema: ExtensionSchema): string {
  return Object.entries(schema.values)
    .map(([name, value]) => `\n   <${schema.prefix}:${name}>${escapeXml(value)}</${schema.prefix}:${name}>`)
    .join('');
}

export function buildXmp(f: XmpFields): string {
  const schemas = [sohoaSchema(f), ...(f.archival ? [circularSchema(f.archival)] : [])];
  const languages = (f.languages?.length ? f.languages : ['vi']).map((l) => `<rdf:li>${escapeXml(l)}</rdf:li>`).join('');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>${schemas.map(schemaDeclaration).join('')}
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
${schemas.map((schema) => `    xmlns:${schema.prefix}="${schema.ns}"`).join('\n')}>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(f.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:identifier>${escapeXml(f.identifier)}</dc:identifier>
   <dc:language><rdf:Bag>${languages}</rdf:Bag></dc:language>
   <xmp:CreateDate>${f.created}</xmp:CreateDate>
   <xmp:ModifyDate>${f.created}</xmp:ModifyDate>
   <xmp:MetadataDate>${f.created}</xmp:MetadataDate>
   <xmp:CreatorTool>${escapeXml(f.creatorTool)}</xmp:CreatorTool>
   <pdf:Producer>${escapeXml(f.producer)}</pdf:Producer>
   <pdfaid:part>${f.part}</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>${schemas.map(schemaValues).join('')}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** ISO 8601 in Vietnam time (UTC+7, no daylight saving), as DOMAIN.md asks for signing times. */
export function vietnamTime(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

/** The same instant as a PDF date string, D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDate(date: Date): string {
  const iso = vietnamTime(date);
  return `D:${iso.slice(0, 19).replace(/[-T:]/g, '')}+07'00'`;
}
