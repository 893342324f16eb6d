/**
 * A file of a submission: the CLI's own file on disk, an upload spooled to disk as it arrived, or
 * bytes a caller already holds. Its size and SHA-256 are known up front (they name the submission);
 * its bytes are read when a stage needs them, one file at a time, so a submission of many large
 * files never sits in memory whole.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '../storage/objects/index.js';

export interface SubmittedFile {
  /** The name the file was sent under (only the manifest keeps it). */
  name: string;
  size: number;
  sha256: string;
  read(): Promise<Buffer>;
  /** Where it is on disk, when it is: the store copies it from there, streamed. */
  path?: string | Buffer;
}

export function fileInMemory(name: string, bytes: Buffer): SubmittedFile {
  return { name, size: bytes.length, sha256: sha256(bytes), read: async () => bytes };
}

/** A file on disk (its path as bytes when its name is no UTF-8), hashed by streaming it. */
export async function fileOnDisk(filePath: string | Buffer, name = path.basename(filePath.toString())): Promise<SubmittedFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(filePath)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { name, size, sha256: hash.digest('hex'), read: () => fs.readFile(filePath), path: filePath };
}
