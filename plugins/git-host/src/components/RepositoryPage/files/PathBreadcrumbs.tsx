import { Link } from '@backstage/core-components';
import { Breadcrumbs, Typography } from '@material-ui/core';
import { HostedRepository } from '../../../api';
import { RepositoryPaths } from '../../common';

/** The repository's root and each folder on the way to `path`, as links. */
export function PathBreadcrumbs({
  repository,
  paths,
  gitRef,
  path,
}: {
  repository: HostedRepository;
  paths: RepositoryPaths;
  gitRef: string;
  path: string;
}) {
  const segments = path.split('/').filter(Boolean);
  const last = segments.pop();
  return (
    <Breadcrumbs aria-label="Path">
      {last === undefined ? (
        <Typography color="textPrimary" aria-current="page">
          {repository.name}
        </Typography>
      ) : (
        <Link to={paths.src(gitRef)}>{repository.name}</Link>
      )}
      {segments.map((segment, i) => (
        <Link
          key={i}
          to={paths.src(gitRef, segments.slice(0, i + 1).join('/'))}
        >
          {segment}
        </Link>
      ))}
      {last !== undefined && (
        <Typography color="textPrimary" aria-current="page">
          {last}
        </Typography>
      )}
    </Breadcrumbs>
  );
}
