/** One field of a multipart/form-data body: text, or a file already in memory. */
export type MultipartField = { name: string; value: string } | { name: string; fileName: string; type: string; data: Uint8Array };

/**
 * Encodes fields as one in-memory `multipart/form-data` body (RFC 7578), escaping names and file names and
 * normalising line breaks in text as fetch (undici) does for a FormData, so a server sees the same body.
 *
 * Why not a FormData: on Node 20 fetch reads a FormData's files through `Blob.stream()`, chunk by chunk
 * across a thread boundary, and making the File copies the audio once more. Measured here for a 3 s
 * utterance (96 KB of WAV): 3.4 ms of CPU through a FormData, 1.3 ms as one buffer. Live voice uploads the
 * growing utterance several times a turn for interim text, so at 50 voice candidates that difference was
 * the largest single share of the server's CPU.
 */
export function encodeMultipart(fields: readonly MultipartField[]): { body: Buffer; contentType: string } {
  const boundary = `----viva-form-${crypto.randomUUID()}`;
  const parts: Uint8Array[] = [];
  for (const field of fields) {
    if ('value' in field) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(field.name)}"\r\n\r\n${normaliseLineBreaks(field.value)}\r\n`));
      continue;
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(field.name)}"; filename="${escapeQuoted(field.fileName)}"\r\nContent-Type: ${field.type}\r\n\r\n`,
      ),
      field.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function escapeQuoted(text: string): string {
  return text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function normaliseLineBreaks(text: string): string {
  return text.replace(/\r?\n|\r/g, '\r\n');
}
