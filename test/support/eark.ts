/**
 * Checks an E-ARK package folder the way an archive's ingest would: every XML well-formed
 * (xmllint), valid against the METS and PREMIS schemas when a folder of them is given
 * (SOHOA_EARK_SCHEMAS: mets.xsd, xlink.xsd, premis.xsd, and E-ARK's CSIP/SIP extension schemas), every file the METS lists present with its size and
 * SHA-256, no file it does not list, and every PREMIS object's fixity matching.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './env.js';

function files(root: string, dir = ''): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(root, path.posix.join(dir, e.name)) : [path.posix.join(dir, e.name)]))
    .sort();
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
}

let warned = false;

/** Where the schemas are looked for when SOHOA_EARK_SCHEMAS names none: beside the shared corpus. */
const SHARED_SCHEMAS = path.resolve(REPO, '..', 'shared', 'schemas', 'eark');

/**
 * xmllint against the schemas in `dir`, offline: METS together with the CSIP and SIP extension
 * schemas (so their attributes are checked strictly, not skipped as lax), xlink resolved from the
 * folder instead of loc.gov, and PREMIS 3.
 */
function validateAgainstSchemas(root: string, dir: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-eark-xsd-'));
  const local = (name: string) => pathToFileURL(path.join(dir, name)).href;
  const extensions = [
    ['https://DILCIS.eu/XML/METS/CSIPExtensionMETS', 'DILCISExtensionMETS.xsd'],
    ['https://DILCIS.eu/XML/METS/SIPExtensionMETS', 'DILCISExtensionSIPMETS.xsd'],
  ].filter(([, file]) => fs.existsSync(path.join(dir, file!)));
  const imports = [['http://www.loc.gov/METS/', 'mets.xsd'], ...extensions]
    .map(([ns, file]) => `<xsd:import namespace="${ns}" schemaLocation="${local(file!)}"/>`)
    .join('');
  fs.writeFileSync(
    path.join(work, 'mets-csip.xsd'),
    `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:sohoa:test">${imports}</xsd:schema>`,
  );
  fs.writeFileSync(
    path.join(work, 'catalog.xml'),
    `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><system systemId="http://www.loc.gov/standards/xlink/xlink.xsd" uri="${local('xlink.xsd')}"/></catalog>`,
  );
  const premis = ['premis.xsd', 'premis-v3-0.xsd'].find((f) => fs.existsSync(path.join(dir, f)));
  if (!premis) throw new Error(`SOHOA_EARK_SCHEMAS ${dir} holds neither premis.xsd nor premis-v3-0.xsd`);
  const env = { ...process.env, XML_CATALOG_FILES: path.join(work, 'catalog.xml') };
  try {
    const lint = (schema: string, file: string) =>
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', schema, path.join(root, file)], { env, stdio: 'pipe' });
    lint(path.join(work, 'mets-csip.xsd'), 'METS.xml');
    lint(path.join(dir, premis), 'metadata/preservation/premis.xml');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function checkEarkPackage(root: string): { tree: string[]; premisEvents: string[]; listed: number } {
  const tree = files(root);
  for (const xml of tree.filter((f) => f.endsWith('.xml'))) execFileSync('xmllint', ['--noout', path.join(root, xml)]);
  const schemas = process.env.SOHOA_EARK_SCHEMAS ?? (fs.existsSync(SHARED_SCHEMAS) ? SHARED_SCHEMAS : undefined);
  if (schemas) validateAgainstSchemas(root, schemas);
  else if (!warned) {
    warned = true;
    console.warn(
      `E-ARK package: METS and PREMIS not validated against their schemas (put mets.xsd, xlink.xsd, premis.xsd, DILCISExtensionMETS.xsd and DILCISExtensionSIPMETS.xsd in ${SHARED_SCHEMAS}, or name another folder in SOHOA_EARK_SCHEMAS)`,
    );
  }
  const hashOf = (file: string) =>
    createHash('sha256')
      .update(fs.readFileSync(path.join(root, file)))
      .digest('hex');
  const mets = fs.readFileSync(path.join(root, 'METS.xml'), 'utf8');
  const listed = new Map<string, { sha256: string; size: number }>();
  for (const m of mets.matchAll(/<mets:mdRef\b[^>]*>/g)) {
    listed.set(attribute(m[0], 'xlink:href')!, { sha256: attribute(m[0], 'CHECKSUM')!, size: Number(attribute(m[0], 'SIZE')) });
  }
  for (const m of mets.matchAll(/<mets:file\b([^>]*)>\s*<mets:FLocat\b([^>]*)\/>/g)) {
    listed.set(attribute(m[2]!, 'xlink:href')!, { sha256: attribute(m[1]!, 'CHECKSUM')!, size: Number(attribute(m[1]!, 'SIZE')) });
  }
  for (const [file, expected] of listed) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`METS lists ${file}, which the package lacks`);
    const actual = { sha256: hashOf(file), size: fs.statSync(path.join(root, file)).size };
    if (actual.sha256 !== expected.sha256 || actual.size !== expected.size)
      throw new Error(`${file}: METS says ${JSON.stringify(expected)}, the file is ${JSON.stringify(actual)}`);
  }
  const unlisted = tree.filter((f) => f !== 'METS.xml' && !listed.has(f));
  if (unlisted.length) throw new Error(`the METS does not list ${unlisted.join(', ')}`);
  const premis = fs.readFileSync(path.join(root, 'metadata/preservation/premis.xml'), 'utf8');
  for (const m of premis.matchAll(
    /<premis:objectIdentifierValue>([^<]*)<\/premis:objectIdentifierValue>[\s\S]*?<premis:messageDigest>([^<]*)<\/premis:messageDigest>/g,
  )) {
    const file = decode(m[1]!);
    if (hashOf(file) !== m[2]) throw new Error(`${file}: PREMIS fixity ${m[2]} does not match`);
  }
  const premisEvents = [...premis.matchAll(/<premis:eventType>([^<]*)<\/premis:eventType>/g)].map((m) => decode(m[1]!));
  return { tree, premisEvents, listed: listed.size };
}
