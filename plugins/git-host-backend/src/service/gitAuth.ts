import { AuthService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { RepositoryStore } from './RepositoryStore';
import { Caller, RepositoryAccess } from './access';

/** Who a git request comes from, or why it is refused. */
export type GitAccess =
  | { ok: true; caller: Caller; deployTokenFor?: string }
  | { ok: false; status: 401 | 403; message: string };

function secretFrom(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && value) {
    return value;
  }
  if (scheme?.toLowerCase() === 'basic' && value) {
    // git sends user:password; the password is the credential.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const secret = decoded.slice(decoded.indexOf(':') + 1);
    return secret || undefined;
  }
  return undefined;
}

/**
 * Decides who a git request comes from. Portal-issued git tokens (user or
 * per-repository deploy tokens) and Backstage user or service tokens are
 * accepted; anonymous requests are refused. A deploy token reaches its own
 * repository only. What the caller may do there is the router's decision.
 */
export async function authorizeGitRequest(options: {
  req: Request;
  repository: string;
  auth: AuthService;
  store: RepositoryStore;
  access: RepositoryAccess;
}): Promise<GitAccess> {
  const { req, repository, auth, store, access } = options;
  const secret = secretFrom(req);
  if (!secret) {
    return {
      ok: false,
      status: 401,
      message:
        'Sign in with a Paved git token (issue one on the Repositories page)',
    };
  }

  const grant = await store.findToken(secret);
  if (grant) {
    if (grant.repository && grant.repository !== repository) {
      return {
        ok: false,
        status: 403,
        message: `This deploy token is for '${grant.repository}', not '${repository}'`,
      };
    }
    return {
      ok: true,
      caller: await access.fromUserRef(grant.subject),
      deployTokenFor: grant.repository,
    };
  }

  let credentials;
  try {
    credentials = await auth.authenticate(secret);
  } catch {
    return {
      ok: false,
      status: 401,
      message: 'Invalid or expired git credential',
    };
  }
  return { ok: true, caller: await access.fromCredentials(credentials) };
}
