// What the project's command-line tools share: one-line errors with an exit code, input files read
// with a human reason, and the passphrase file read the way `openssl -passin file:` reads it.
import { readFile } from 'node:fs/promises';

/** Bad input (exit 1) or bad usage (exit 2): shown as one line, never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
};

export async function readInputFile(path: string, what: string, maxBytes = 1024 * 1024): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`cannot read the ${what} ${path}: ${REASONS[code] ?? (code || 'unreadable')}`);
  }
  if (bytes.length > maxBytes) throw new CliError(`the ${what} ${path} is larger than ${maxBytes} bytes`);
  return bytes;
}

/** The first line, without its line ending: what `openssl -passin file:` reads too. */
export async function readPassphraseFile(path: string): Promise<string> {
  const passphrase =
    (await readInputFile(path, 'passphrase file', 4096)).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (passphrase === '') throw new CliError(`the passphrase file ${path} is empty`);
  return passphrase;
}

/** Runs a command's main: a CliError becomes `<name>: message` and its exit code. */
export function runCli(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof CliError) {
      console.error(`${name}: ${err.message}`);
      process.exit(err.exitCode);
    }
    console.error(`${name}: unexpected failure (${err instanceof Error ? err.name : 'unknown'})`);
    process.exit(1);
  });
}
