import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a process's metrics hub listens, unique to it, as text an environment variable can carry: an
 * abstract socket on Linux (no file to clean up, even after a crash), written `@name` as `ss` writes it
 * since a variable cannot hold its leading NUL; a named pipe on Windows; else a socket file in the
 * temporary directory.
 */
export function childProcessHubAddress(platform: NodeJS.Platform = process.platform): string {
  const name = `va-metrics-${process.pid}-${randomBytes(6).toString('hex')}`;
  if (platform === 'linux') return `@${name}`;
  if (platform === 'win32') return `\\\\.\\pipe\\${name}`;
  return join(tmpdir(), `${name}.sock`);
}

/** The path `net` listens on or connects to for such an address. */
export function socketPathOf(address: string): string {
  return address.startsWith('@') ? `\0${address.slice(1)}` : address;
}
