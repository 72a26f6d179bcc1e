import { checkCredentialUrl } from './credentialChecks';

// This machine's MariaDB on loopback (root with an empty password), as a
// module's mysql:// credential would reach it.
describe('checkCredentialUrl', () => {
  it('connects to MariaDB with a mysql:// credential and says as whom', async () => {
    await expect(
      checkCredentialUrl('mariadb_url', 'mysql://root:@127.0.0.1:3306/test'),
    ).resolves.toEqual({
      name: 'mariadb_url',
      ok: true,
      message: expect.stringMatching(
        /^mariadb_url: connected to database test as root@/,
      ),
    });
  });

  it('fails a wrong password without repeating it', async () => {
    const check = await checkCredentialUrl(
      'mariadb_url',
      'mysql://paved_nobody:s3cret-Pw@127.0.0.1:3306/test',
    );
    expect(check).toMatchObject({ ok: false });
    expect(check.message).toMatch(/Access denied/);
    expect(check.message).not.toContain('s3cret-Pw');
  });

  it('says when a scheme has no check', async () => {
    await expect(
      checkCredentialUrl('x_url', 'nats://127.0.0.1:4222'),
    ).resolves.toEqual({
      name: 'x_url',
      ok: true,
      message: 'x_url: no check for nats',
    });
  });
});
