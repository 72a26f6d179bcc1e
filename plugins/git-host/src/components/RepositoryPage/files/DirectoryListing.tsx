import { Link } from '@backstage/core-components';
import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import FileIcon from '@material-ui/icons/InsertDriveFileOutlined';
import FolderIcon from '@material-ui/icons/Folder';
import LinkIcon from '@material-ui/icons/Link';
import SubmoduleIcon from '@material-ui/icons/FolderSpecialOutlined';
import { RepositoryEntry } from '../../../api';
import { RepositoryPaths } from '../../common';
import { formatSize } from './fileText';

const useStyles = makeStyles(theme => ({
  name: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  icon: { color: theme.palette.text.secondary },
  size: { whiteSpace: 'nowrap', color: theme.palette.text.secondary },
}));

const icons = {
  dir: FolderIcon,
  file: FileIcon,
  symlink: LinkIcon,
  submodule: SubmoduleIcon,
};

// Folders first, then by name, as git hosts list them.
function byKindThenName(a: RepositoryEntry, b: RepositoryEntry): number {
  if ((a.type === 'dir') !== (b.type === 'dir'))
    return a.type === 'dir' ? -1 : 1;
  return a.name.localeCompare(b.name);
}

/** A directory's entries; a folder or file opens on a click. */
export function DirectoryListing({
  entries,
  paths,
  gitRef,
  path,
}: {
  entries: RepositoryEntry[];
  paths: RepositoryPaths;
  gitRef: string;
  path: string;
}) {
  const classes = useStyles();
  const parent = path.split('/').filter(Boolean).slice(0, -1).join('/');
  if (!entries.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        This folder is empty.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Files">
      <TableBody>
        {path && (
          <TableRow>
            <TableCell colSpan={2}>
              <Link to={paths.src(gitRef, parent)} aria-label="Parent folder">
                ..
              </Link>
            </TableCell>
          </TableRow>
        )}
        {[...entries].sort(byKindThenName).map(entry => {
          const Icon = icons[entry.type] ?? FileIcon;
          return (
            <TableRow key={entry.path}>
              <TableCell>
                <span className={classes.name}>
                  <Icon fontSize="small" className={classes.icon} />
                  {entry.type === 'submodule' ? (
                    <span>{entry.name} (submodule)</span>
                  ) : (
                    <Link to={paths.src(gitRef, entry.path)}>{entry.name}</Link>
                  )}
                </span>
              </TableCell>
              <TableCell align="right" className={classes.size}>
                {entry.type === 'file' ? formatSize(entry.size) : ''}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
