/**
 * A small multipart/form-data parser: enough for the transcription endpoint, which needs the text
 * fields and the size of the uploaded file, never its content. Not a general-purpose parser (no
 * nested multipart, no header folding).
 */

export interface MultipartFile {
  filename: string;
  contentType: string;
  size: number;
}

export interface MultipartForm {
  /** Text fields; a repeated name (`timestamp_granularities[]`) gives an array. */
  fields: Record<string, string | string[]>;
  files: Record<string, MultipartFile>;
}

/** The boundary from a `multipart/form-data; boundary=…` content type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
  const form: MultipartForm = { fields: {}, files: {} };
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    let partStart = start + delimiter.length;
    // `--boundary--` closes the body.
    if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) break;
    if (body[partStart] === 0x0d && body[partStart + 1] === 0x0a) partStart += 2;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // The part's content ends with the CRLF that precedes the next delimiter.
    const partEnd = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    addPart(form, body.subarray(partStart, partEnd));
    start = next;
  }
  return form;
}

function addPart(form: MultipartForm, part: Buffer): void {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd === -1) return;
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = parameter(disposition, 'name');
  if (name === undefined) return;
  const content = part.subarray(headerEnd + 4);
  const filename = parameter(disposition, 'filename');
  if (filename !== undefined) {
    form.files[name] = {
      filename,
      contentType: headers.get('content-type') ?? 'application/octet-stream',
      size: content.length,
    };
    return;
  }
  const value = content.toString('utf8');
  const existing = form.fields[name];
  if (existing === undefined) form.fields[name] = value;
  else form.fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

/** A `name="value"` parameter of a Content-Disposition header. */
function parameter(header: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header);
  if (match?.[1] !== undefined) return match[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`(?:^|;)\\s*${key}=([^;\\s]+)`, 'i').exec(header);
  return bare?.[1];
}
