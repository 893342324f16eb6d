/** Writing XML by hand for the E-ARK package: elements from nested arrays, escaped as the XMP is. */
import { escapeXml } from '../../../pipeline/pdfa/index.js';

/** An element: name, attributes (undefined ones left out) and children (text, or elements). */
export type XmlNode = [name: string, attributes: Record<string, string | number | undefined>, ...children: (XmlNode | string)[]];

export function xmlElement(node: XmlNode, indent = ''): string {
  const [name, attributes, ...children] = node;
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  if (children.length === 0) return `${indent}<${name}${attrs}/>`;
  if (children.every((c) => typeof c === 'string')) return `${indent}<${name}${attrs}>${escapeXml(children.join(''))}</${name}>`;
  const inner = children.map((c) => (typeof c === 'string' ? `${indent}  ${escapeXml(c)}` : xmlElement(c, `${indent}  `))).join('\n');
  return `${indent}<${name}${attrs}>\n${inner}\n${indent}</${name}>`;
}

export function xmlDocument(root: XmlNode): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xmlElement(root)}\n`, 'utf8');
}

/** A text child element, or nothing when the value is absent. */
export function optional(name: string, value: string | number | undefined | null): XmlNode[] {
  return value === undefined || value === null || value === '' ? [] : [[name, {}, String(value)]];
}
