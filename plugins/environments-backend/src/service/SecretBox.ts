import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encrypts secrets at rest with AES-256-GCM. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a wrong key or a tampered
 * value fails loudly instead of decrypting to garbage.
 */
export class SecretBox {
  static fromKeyMaterial(material: string) {
    return new SecretBox(createHash('sha256').update(material).digest());
  }

  /** A key kept in a file: created (0600) on first use. */
  static fromKeyFile(path: string) {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32).toString('base64url'), {
        mode: 0o600,
        flag: 'wx',
      });
    }
    return SecretBox.fromKeyMaterial(readFileSync(path, 'utf8').trim());
  }

  private constructor(private readonly key: Buffer) {}

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map(p => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open<T>(sealed: string): T {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) {
      throw new Error('Not a sealed secret');
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.key,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as T;
  }
}
