/** Ids shaped like OpenAI's (`chatcmpl-…`, `resp_…`, `call_…`), random because OpenAI's are too. */
import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function alphanumericId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

export function hexId(prefix: string, hexDigits: number): string {
  return (
    prefix +
    randomBytes(Math.ceil(hexDigits / 2))
      .toString('hex')
      .slice(0, hexDigits)
  );
}

/** Seconds since the epoch, as `created` and `created_at` are. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
