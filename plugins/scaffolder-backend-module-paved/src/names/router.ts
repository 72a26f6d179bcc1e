import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { assertRepositoryName } from '@internal/plugin-git-host-common';
import Router from 'express-promise-router';
import { GitHostClient } from '../actions/gitHostClient';
import { findNameConflicts } from './serviceNames';

/**
 * `GET /api/scaffolder/paved/name-conflicts?name=<name>&api=true`: what a
 * golden path's form checks before it lets a name through, the same check
 * the first step of the run makes again.
 */
export function nameConflictsRouter(options: {
  catalog: CatalogService;
  gitHost: GitHostClient;
  auth: AuthService;
  httpAuth: HttpAuthService;
}) {
  const router = Router();
  router.get('/paved/name-conflicts', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const name = req.query.name;
    if (typeof name !== 'string') {
      throw new InputError('name is required');
    }
    assertRepositoryName(name);
    res.json({
      conflicts: await findNameConflicts({
        ...options,
        name,
        withApi: req.query.api === 'true',
        credentials,
      }),
    });
  });
  return router;
}
