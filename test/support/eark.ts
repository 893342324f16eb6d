/**
 * Checks an E-ARK package folder the way an archive's ingest would: every XML well-formed
 * (xmllint), valid against the METS and PREMIS schemas when a folder of them is given
 * (SOHOA_EARK_SCHEMAS: mets.xsd, premis.xsd), every file the METS lists present with its size and
 * SHA-256, no file it does not list, and every PREMIS object's fixity matching.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

export function checkEarkPackage(root: string): { tree: string[]; premisEvents: string[]; listed: number } {
  const tree = files(root);
  for (const xml of tree.filter((f) => f.endsWith('.xml'))) execFileSync('xmllint', ['--noout', path.join(root, xml)]);
  const schemas = process.env.SOHOA_EARK_SCHEMAS;
  if (schemas) {
    execFileSync('xmllint', ['--noout', '--schema', path.join(schemas, 'mets.xsd'), path.join(root, 'METS.xml')]);
    execFileSync('xmllint', ['--noout', '--schema', path.join(schemas, 'premis.xsd'), path.join(root, 'metadata/preservation/premis.xml')]);
  } else if (!warned) {
    warned = true;
    console.warn(
      'E-ARK package: METS and PREMIS not validated against their schemas (set SOHOA_EARK_SCHEMAS to a folder with mets.xsd and premis.xsd)',
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
