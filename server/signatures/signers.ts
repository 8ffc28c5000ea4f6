// Which key signs for which body: opened once at start from the settings (server/config.ts), so a
// wrong password or a broken file stops the start with a clear line instead of failing a download.
// The passwords stay in the settings; the opened keys stay in this process's memory.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { readPkcs12, type SigningIdentity } from './cms.ts';

export class SignerBook {
  constructor(
    private readonly byUnit: ReadonlyMap<string, SigningIdentity>,
    private readonly fallback: SigningIdentity | undefined,
  ) {}

  /** The identity that signs for a body (its own file first), or undefined when none is set. */
  forUnit(unitCode: string): SigningIdentity | undefined {
    return this.byUnit.get(unitCode.toUpperCase()) ?? this.fallback;
  }

  get configured(): boolean {
    return this.fallback !== undefined || this.byUnit.size > 0;
  }
}

/** The environment variable's suffix for a unit's password: `VN-91` → `VN_91`. */
export function passwordSuffix(unitCode: string): string {
  return unitCode.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function loadSigners(settings: Config['signing']): SignerBook {
  const open = (path: string, password: string) => {
    try {
      return readPkcs12(readFileSync(path), password);
    } catch (error) {
      throw new Error(`Không mở được tệp khóa ký số / cannot open the signing key ${path}: ${(error as Error).message}`);
    }
  };
  const fallback = settings.p12Path ? open(settings.p12Path, settings.password) : undefined;
  const byUnit = new Map<string, SigningIdentity>();
  if (settings.dir) {
    for (const name of readdirSync(settings.dir).filter((file) => file.toLowerCase().endsWith('.p12')).sort()) {
      const code = name.slice(0, -4).toUpperCase();
      byUnit.set(code, open(join(settings.dir, name), settings.unitPasswords[passwordSuffix(code)] ?? settings.password));
    }
  }
  return new SignerBook(byUnit, fallback);
}
