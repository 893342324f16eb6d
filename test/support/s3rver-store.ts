/**
 * s3rver 3 answers a PUT as soon as its hashing stream finishes, before its file stream has
 * written the object, so a GET right after can read an empty file (seen as "manifest.json is not
 * valid JSON" in the S3 pass). MinIO is read-after-write consistent, and the tests rely on it:
 * here s3rver's filesystem store writes the whole object before the PUT is answered.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import FilesystemStore from 's3rver/lib/stores/filesystem.js';

FilesystemStore.prototype.putObject = async function putObject(object) {
  const chunks: Buffer[] = [];
  if (Buffer.isBuffer(object.content)) chunks.push(object.content);
  else for await (const chunk of object.content) chunks.push(Buffer.from(chunk as Uint8Array));
  const content = Buffer.concat(chunks);
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  await fs.promises.writeFile(objectPath, content);
  const md5 = crypto.createHash('md5').update(content).digest('hex');
  await this.putMetadata(object.bucket, object.key, object.metadata, md5);
  return { size: content.length, md5 };
};
