/**
 * XMP metadata packet of a Sohoa PDF/A: Dublin Core, XMP basic, PDF and pdfaid schemas, plus
 * the Sohoa extension schema (dossier, procedure and agency codes) declared as PDF/A requires.
 */
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
}

export const SOHOA_NS = 'https://sohoa.gov.vn/ns/xmp/1.0/';

const SOHOA_PROPERTIES: [keyof XmpFields & string, string, string][] = [
  ['dossierCode', 'dossierCode', 'Dossier code (Circular 01/2018/TT-VPCP Art. 19)'],
  ['agencyCode', 'agencyCode', 'Receiving agency code (Circular 10/2016/TT-BTTTT)'],
  ['procedureCode', 'procedureCode', 'Administrative procedure code (national procedures database)'],
  ['documentKind', 'documentKind', 'component or result'],
];

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildXmp(f: XmpFields): string {
  const own = SOHOA_PROPERTIES.filter(([field]) => f[field] !== undefined)
    .map(([field, name]) => `   <sohoa:${name}>${escapeXml(String(f[field]))}</sohoa:${name}>`)
    .join('\n');
  const schemaProperties = SOHOA_PROPERTIES.map(
    ([, name, description]) => `
         <rdf:li rdf:parseType="Resource">
          <pdfaProperty:name>${name}</pdfaProperty:name>
          <pdfaProperty:valueType>Text</pdfaProperty:valueType>
          <pdfaProperty:category>external</pdfaProperty:category>
          <pdfaProperty:description>${escapeXml(description)}</pdfaProperty:description>
         </rdf:li>`,
  ).join('');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Sohoa dossier digitization</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>${SOHOA_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>sohoa</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>${schemaProperties}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:sohoa="${SOHOA_NS}">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(f.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:identifier>${escapeXml(f.identifier)}</dc:identifier>
   <dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>${f.created}</xmp:CreateDate>
   <xmp:ModifyDate>${f.created}</xmp:ModifyDate>
   <xmp:MetadataDate>${f.created}</xmp:MetadataDate>
   <xmp:CreatorTool>${escapeXml(f.creatorTool)}</xmp:CreatorTool>
   <pdf:Producer>${escapeXml(f.producer)}</pdf:Producer>
   <pdfaid:part>${f.part}</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
${own}
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
