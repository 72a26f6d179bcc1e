import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { unprocessedEntitiesReadPermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';

/** An entity the catalog could not process, as the Catalog errors page lists it. */
export type ProcessingError = {
  entityRef: string;
  owner?: string;
  /** Where it is read from (backstage.io/managed-by-location). */
  location?: string;
  errors: Array<{ name: string; message: string }>;
  /**
   * `last-good-version` when the catalog still shows the entity as it was
   * before the change that failed; `not-in-catalog` when it never got in.
   */
  shown: 'last-good-version' | 'not-in-catalog';
};

type SerializedError = { name?: string; message?: string; cause?: unknown };

/**
 * The error that says what is wrong: the catalog wraps a processor's
 * ("Processor X threw an error while preprocessing; caused by ...").
 */
function innermost(error: SerializedError): SerializedError {
  let current = error;
  while (
    current.cause &&
    typeof current.cause === 'object' &&
    typeof (current.cause as SerializedError).message === 'string'
  ) {
    current = current.cause as SerializedError;
  }
  return current;
}

type Row = {
  entity_ref: string;
  unprocessed_entity: string;
  errors: string | null;
  final_entity: string | null;
};

/**
 * Every entity whose last processing failed, from the catalog's own
 * refresh state: those that never got in (what Backstage's "failed" list
 * shows) and those whose latest change was refused while the catalog keeps
 * showing their last good version (which that list leaves out).
 */
export async function listProcessingErrors(
  db: Knex,
): Promise<ProcessingError[]> {
  const rows = (await db('refresh_state')
    .leftJoin(
      'final_entities',
      'final_entities.entity_id',
      'refresh_state.entity_id',
    )
    .whereNotNull('refresh_state.errors')
    .whereNot('refresh_state.errors', '')
    .whereNot('refresh_state.errors', '[]')
    .orderBy('refresh_state.entity_ref')
    .select(
      'refresh_state.entity_ref',
      'refresh_state.unprocessed_entity',
      'refresh_state.errors',
      'final_entities.final_entity',
    )) as Row[];
  return rows.flatMap(row => {
    const errors = (JSON.parse(row.errors ?? '[]') as SerializedError[]).map(
      innermost,
    );
    if (!errors.length) return [];
    const entity = JSON.parse(row.unprocessed_entity);
    return [
      {
        entityRef: row.entity_ref,
        owner:
          typeof entity.spec?.owner === 'string'
            ? entity.spec.owner
            : undefined,
        location:
          entity.metadata?.annotations?.['backstage.io/managed-by-location'],
        errors: errors.map(e => ({
          name: e.name ?? 'Error',
          message: e.message ?? String(e),
        })),
        shown: row.final_entity ? 'last-good-version' : 'not-in-catalog',
      },
    ];
  });
}

/** `GET /api/catalog/processing-errors` for the Catalog errors page. */
export function processingErrorsRouter(options: {
  db: Knex;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const router = Router();
  router.get('/processing-errors', async (req: express.Request, res) => {
    const [decision] = await options.permissions.authorize(
      [{ permission: unprocessedEntitiesReadPermission }],
      { credentials: await options.httpAuth.credentials(req) },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You may not read the catalog errors');
    }
    res.json({ items: await listProcessingErrors(options.db) });
  });
  return router;
}
