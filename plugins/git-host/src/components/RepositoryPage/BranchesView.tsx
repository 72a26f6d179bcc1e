import { Link } from '@backstage/core-components';
import {
  Chip,
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Branch, HostedRepository } from '../../api';
import {
  commitSubject,
  EmptyRepository,
  RelativeTime,
  shortSha,
  useRepositoryPaths,
} from '../common';

const useStyles = makeStyles(theme => ({
  paper: { marginTop: theme.spacing(2) },
  default: { marginLeft: theme.spacing(1) },
  sha: { fontFamily: 'monospace' },
}));

/** The Branches tab: every branch with the commit at its tip. */
export function BranchesView({
  repository,
  branches,
}: {
  repository: HostedRepository;
  branches: Branch[];
}) {
  const classes = useStyles();
  const paths = useRepositoryPaths(repository);

  if (branches.length === 0) {
    return <EmptyRepository repository={repository} />;
  }
  // The default branch first, the others by their newest commit.
  const sorted = [...branches].sort((a, b) => {
    if (a.name === repository.defaultBranch) return -1;
    if (b.name === repository.defaultBranch) return 1;
    return b.commit.timestamp.localeCompare(a.commit.timestamp);
  });
  return (
    <Paper variant="outlined" className={classes.paper}>
      <Table size="small" aria-label="Branches">
        <TableHead>
          <TableRow>
            <TableCell>Branch</TableCell>
            <TableCell>Latest commit</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(branch => (
            <TableRow key={branch.name}>
              <TableCell>
                <Link to={paths.src(branch.name)}>{branch.name}</Link>
                {branch.name === repository.defaultBranch && (
                  <Chip
                    label="default"
                    size="small"
                    className={classes.default}
                  />
                )}
              </TableCell>
              <TableCell>
                <Typography variant="body2">
                  {commitSubject(branch.commit.message)}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  <span className={classes.sha}>
                    {shortSha(branch.commit.id)}
                  </span>
                  {' · '}
                  {branch.commit.author.name}
                  {' · '}
                  <RelativeTime date={branch.commit.timestamp} />
                </Typography>
              </TableCell>
              <TableCell align="right">
                <Link to={paths.commits(branch.name)}>Commits</Link>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
