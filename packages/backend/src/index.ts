/*
 * Paved's backend: Backstage's core plugins plus Paved's own, all on the new
 * backend system. It serves the built frontend (app-backend) and the API on
 * the same port.
 */

import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouter } from './modules/rootHttpRouter';

const backend = createBackend();

// The HTTP server, with open connections cut a few seconds into a shutdown.
backend.add(rootHttpRouter);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Golden paths
backend.add(import('@backstage/plugin-scaffolder-backend'));
// Golden paths publish to GitHub, GitLab or Gitea when the form's host
// says so and `integrations` has credentials for it (see README).
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitlab'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-gitea'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// paved:repo:publish and paved:pipeline:provision
backend.add(import('@internal/plugin-scaffolder-backend-module-paved'));

// Paved's embedded git host. It speaks Gitea's API, so with its
// integrations.gitea entry Backstage's own Gitea URL reader, publish:gitea
// and catalog:register work against it.
backend.add(import('@internal/plugin-git-host-backend'));
backend.add(import('@internal/plugin-deployments-backend'));

// Terraform-backed environments, and their Resource entities in the catalog.
backend.add(import('@internal/plugin-environments-backend'));
backend.add(import('@internal/plugin-catalog-backend-module-environments'));

backend.add(import('@backstage/plugin-techdocs-backend'));
// Docs nobody has opened yet are built too, so search finds them.
backend.add(import('./modules/techdocsPrebuild'));

// Sign-in: guest locally (refused outside NODE_ENV=development), OpenID
// Connect in production (app-config.production.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));

// Catalog, with its processing errors logged and listed on the
// "Catalog errors" page.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));
// Owners that can change the file naming them, safe links, and the list of
// every entity that failed to process.
backend.add(import('@internal/plugin-catalog-backend-module-paved'));

// Anyone signed in may view; changing an environment is for its owning
// group and the platform team (see modules/permissionPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// Search: PostgreSQL's full-text engine when on PostgreSQL, in-memory
// otherwise.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// A backend that cannot start (bad config, its port taken) exits with an
// error instead of running on without serving, e.g. beside another replica
// on the same database.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error(`Backend startup failed: ${error?.stack ?? error}`);
  process.exit(1);
});
