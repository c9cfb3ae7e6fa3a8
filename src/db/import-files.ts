/**
 * An uploaded file written to R2 as it arrives: bytes are gathered into parts of 5 MiB (R2's
 * smallest multipart part; every part but the last has this same size), so at most one part is in
 * memory. A file under one part is a single `put`.
 */
export const PART_BYTES = 5 * 1024 * 1024;

export interface FileWriter {
  write(bytes: Uint8Array): Promise<void>;
  /** Completes the object. */
  close(): Promise<void>;
  /** Drops whatever was written. Never throws. */
  abort(): Promise<void>;
}

export function r2FileWriter(bucket: R2Bucket, key: string, contentType: string): FileWriter {
  let part = new Uint8Array(PART_BYTES);
  let filled = 0;
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];

  const flush = async () => {
    upload ??= await bucket.createMultipartUpload(key, { httpMetadata: { contentType } });
    parts.push(await upload.uploadPart(parts.length + 1, part));
    part = new Uint8Array(PART_BYTES);
    filled = 0;
  };

  return {
    async write(bytes) {
      let offset = 0;
      while (offset < bytes.length) {
        const n = Math.min(PART_BYTES - filled, bytes.length - offset);
        part.set(bytes.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === PART_BYTES) await flush();
      }
    },
    async close() {
      const rest = part.subarray(0, filled);
      if (!upload) {
        await bucket.put(key, rest, { httpMetadata: { contentType } });
        return;
      }
      if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, rest));
      await upload.complete(parts);
    },
    async abort() {
      try {
        await upload?.abort();
      } catch {
        // Incomplete uploads are removed by R2's own lifecycle.
      }
    },
  };
}

/** The file as a stream of text, or undefined when it is gone. */
export async function readFile(bucket: R2Bucket, key: string): Promise<ReadableStream<Uint8Array> | undefined> {
  const object = await bucket.get(key);
  return object?.body ?? undefined;
}

export async function deleteFile(bucket: R2Bucket, key: string): Promise<void> {
  await bucket.delete(key);
}
