import { SecretBox } from './SecretBox';

describe('SecretBox', () => {
  it('round-trips, never stores the plain text, and refuses a wrong key or tampering', () => {
    const box = SecretBox.fromKeyMaterial('k'.repeat(32));
    const sealed = box.seal({ url: 'postgresql://u:hunter2@h/db' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toEqual({ url: 'postgresql://u:hunter2@h/db' });
    expect(() =>
      SecretBox.fromKeyMaterial('j'.repeat(32)).open(sealed),
    ).toThrow();
    const parts = sealed.split('.');
    // Always a different first character (a random seal may start with A).
    parts[3] = `${parts[3][0] === 'A' ? 'B' : 'A'}${parts[3].slice(1)}`;
    expect(() => box.open(parts.join('.'))).toThrow();
  });
});
