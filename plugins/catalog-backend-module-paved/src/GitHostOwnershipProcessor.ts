import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';
import { repositoryOfUrl } from '@internal/plugin-git-host-common';
import { RepositoryOwners } from './GitHostRepositories';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * An entity read from a repository on Paved's git host may name as its
 * owner only the repository's owner (whose members can change the file) or
 * the platform team. Anything else is refused: the entity keeps its last
 * good version, so nobody takes over a service by pushing a new owner, and
 * the reason shows on the Catalog errors page.
 */
export class GitHostOwnershipProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      /** e.g. http://localhost:7007/api/git-host */
      gitHostBaseUrl: string;
      repositories: RepositoryOwners;
      platformGroups: string[];
    },
  ) {}

  getProcessorName() {
    return 'GitHostOwnershipProcessor';
  }

  async preProcessEntity(entity: Entity, location: LocationSpec) {
    const specOwner = entity.spec?.owner;
    if (location.type !== 'url' || typeof specOwner !== 'string') {
      return entity;
    }
    const repository = repositoryOfUrl(
      this.options.gitHostBaseUrl,
      location.target,
    );
    if (!repository) {
      return entity;
    }
    const repositoryOwner = await this.options.repositories.ownerOf(repository);
    if (!repositoryOwner) {
      // Reading the file fails on its own, with its own message.
      return entity;
    }
    let owner: string;
    try {
      owner = stringifyEntityRef(
        parseEntityRef(specOwner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      );
    } catch {
      return entity; // The entity's own validation names a malformed ref.
    }
    const allowed = [repositoryOwner, ...this.options.platformGroups].map(
      lower,
    );
    if (allowed.includes(lower(owner))) {
      return entity;
    }
    throw new InputError(
      `${stringifyEntityRef(entity)} names ${owner} as its owner, but it is ` +
        `read from repository '${repository.owner}/${repository.name}', which belongs to ` +
        `${repositoryOwner}: an owner must be able to change the file that ` +
        `names it. Keep ${repositoryOwner} as the owner, move the file to a ` +
        `repository of ${owner}, or ask the platform team to move the repository.`,
    );
  }
}
