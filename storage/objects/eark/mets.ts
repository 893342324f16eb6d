/**
 * The package's root METS.xml (E-ARK CSIP 2, SIP profile): the header naming the agency and Sohoa,
 * the descriptive and preservation metadata by reference, every representation file in the file
 * section with its size and SHA-256, and the CSIP structural map.
 */
import type { DossierManifest } from '../manifest.js';
import { type PackageFile, REPRESENTATIONS } from './files.js';
import { type XmlNode, xmlDocument } from './xml.js';

const METS_NS = 'http://www.loc.gov/METS/';
const CSIP_NS = 'https://DILCIS.eu/XML/METS/CSIPExtensionMETS';
const SIP_NS = 'https://DILCIS.eu/XML/METS/SIPExtensionMETS';

/** A METS ID from a package path: letters, digits, `-`, `_`, `.` only, starting with a letter. */
function idOf(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

function mdRef(file: PackageFile, mdType: string, otherMdType?: string): XmlNode {
  return [
    'mets:mdRef',
    {
      LOCTYPE: 'URL',
      'xlink:type': 'simple',
      'xlink:href': file.path,
      MDTYPE: mdType,
      OTHERMDTYPE: otherMdType,
      MIMETYPE: file.mediaType,
      SIZE: file.size,
      CREATED: file.created,
      CHECKSUM: file.sha256,
      CHECKSUMTYPE: 'SHA-256',
    },
  ];
}

function fileNode(file: PackageFile): XmlNode {
  return [
    'mets:file',
    {
      ID: idOf('file', file.path),
      MIMETYPE: file.mediaType,
      SIZE: file.size,
      CREATED: file.created,
      CHECKSUM: file.sha256,
      CHECKSUMTYPE: 'SHA-256',
    },
    ['mets:FLocat', { LOCTYPE: 'URL', 'xlink:type': 'simple', 'xlink:href': file.path }],
  ];
}

export interface MetsInput {
  manifest: DossierManifest;
  title: string;
  producer: string;
  now: string;
  descriptive: { tt05: PackageFile; dc: PackageFile };
  premis: PackageFile;
  files: PackageFile[];
}

export function metsXml(input: MetsInput): Buffer {
  const { manifest, descriptive, premis, files } = input;
  const groups = REPRESENTATIONS.map((rep) => ({ rep, files: files.filter((f) => f.representation === rep) })).filter(
    (g) => g.files.length,
  );
  return xmlDocument([
    'mets:mets',
    {
      'xmlns:mets': METS_NS,
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xmlns:csip': CSIP_NS,
      'xmlns:sip': SIP_NS,
      'xsi:schemaLocation': `${METS_NS} http://www.loc.gov/standards/mets/mets.xsd ${CSIP_NS} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd`,
      OBJID: manifest.dossierCode,
      LABEL: input.title,
      TYPE: 'Textual works – Print',
      'csip:CONTENTINFORMATIONTYPE': 'OTHER',
      'csip:OTHERCONTENTINFORMATIONTYPE': 'Circular 05/2025/TT-BNV dossier',
      PROFILE: 'https://earksip.dilcis.eu/profile/E-ARK-SIP.xml',
    },
    [
      'mets:metsHdr',
      { CREATEDATE: input.now, LASTMODDATE: manifest.updatedAt, RECORDSTATUS: 'NEW', 'csip:OAISPACKAGETYPE': 'SIP' },
      [
        'mets:agent',
        { ROLE: 'CREATOR', TYPE: 'OTHER', OTHERTYPE: 'SOFTWARE' },
        ['mets:name', {}, 'Sohoa'],
        ['mets:note', { 'csip:NOTETYPE': 'SOFTWARE VERSION' }, input.producer],
      ],
      [
        'mets:agent',
        { ROLE: 'CREATOR', TYPE: 'ORGANIZATION' },
        ['mets:name', {}, manifest.agencyCode],
        ['mets:note', { 'csip:NOTETYPE': 'IDENTIFICATIONCODE' }, manifest.agencyCode],
      ],
    ],
    [
      'mets:dmdSec',
      { ID: 'dmd-tt05', CREATED: descriptive.tt05.created, STATUS: 'CURRENT' },
      mdRef(descriptive.tt05, 'OTHER', 'Circular 05/2025/TT-BNV'),
    ],
    ['mets:dmdSec', { ID: 'dmd-dc', CREATED: descriptive.dc.created, STATUS: 'CURRENT' }, mdRef(descriptive.dc, 'DC')],
    [
      'mets:amdSec',
      {},
      ['mets:digiprovMD', { ID: 'digiprov-premis', CREATED: premis.created, STATUS: 'CURRENT' }, mdRef(premis, 'PREMIS')],
    ],
    [
      'mets:fileSec',
      { ID: 'filesec' },
      ...groups.map(
        (g): XmlNode => [
          'mets:fileGrp',
          { ID: `grp-${g.rep}`, USE: `Representations/${g.rep}`, ADMID: 'digiprov-premis' },
          ...g.files.map(fileNode),
        ],
      ),
    ],
    [
      'mets:structMap',
      { ID: 'structmap-csip', TYPE: 'PHYSICAL', LABEL: 'CSIP' },
      [
        'mets:div',
        { ID: 'div-root', LABEL: manifest.dossierCode },
        ['mets:div', { ID: 'div-metadata', LABEL: 'Metadata', DMDID: 'dmd-tt05 dmd-dc', ADMID: 'digiprov-premis' }],
        ...groups.map(
          (g): XmlNode => [
            'mets:div',
            { ID: `div-${g.rep}`, LABEL: `Representations/${g.rep}` },
            ...g.files.map((f): XmlNode => ['mets:fptr', { FILEID: idOf('file', f.path) }]),
          ],
        ),
      ],
    ],
  ]);
}
