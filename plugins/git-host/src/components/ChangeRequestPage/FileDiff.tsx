import { Chip, makeStyles, Paper, Typography } from '@material-ui/core';
import { ChangedFile } from '../../api';
import { DiffLine, parsePatch } from './parsePatch';

const useStyles = makeStyles(theme => {
  const dark = theme.palette.type === 'dark';
  return {
    file: { marginBottom: theme.spacing(2), overflow: 'hidden' },
    header: {
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: theme.spacing(1, 2),
      borderBottom: `1px solid ${theme.palette.divider}`,
      backgroundColor: theme.palette.background.default,
    },
    filename: { fontFamily: 'monospace', fontWeight: 600, flexGrow: 1 },
    additions: { color: dark ? '#3fb950' : '#1a7f37', fontWeight: 600 },
    deletions: { color: dark ? '#f85149' : '#cf222e', fontWeight: 600 },
    summary: { padding: theme.spacing(1.5, 2) },
    scroll: { overflowX: 'auto' },
    diff: {
      borderCollapse: 'collapse',
      width: '100%',
      fontFamily: 'monospace',
      fontSize: '0.85rem',
    },
    number: {
      width: '1%',
      padding: theme.spacing(0, 1),
      textAlign: 'right',
      color: theme.palette.text.secondary,
      userSelect: 'none',
      verticalAlign: 'top',
    },
    code: { padding: theme.spacing(0, 1.5), whiteSpace: 'pre' },
    marker: { userSelect: 'none', display: 'inline-block', width: '1.5ch' },
    added: {
      backgroundColor: dark ? 'rgba(46, 160, 67, 0.25)' : '#dafbe1',
    },
    removed: {
      backgroundColor: dark ? 'rgba(248, 81, 73, 0.25)' : '#ffebe9',
    },
    hunk: {
      backgroundColor: dark ? 'rgba(56, 139, 253, 0.15)' : '#ddf4ff',
      color: theme.palette.text.secondary,
    },
    context: {},
    note: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  };
});

const statusLabels: Record<ChangedFile['status'], string> = {
  added: 'Added',
  modified: 'Modified',
  deleted: 'Deleted',
  renamed: 'Renamed',
};

const markers = { added: '+', removed: '-', context: ' ' };

function DiffRow({ line }: { line: DiffLine }) {
  const classes = useStyles();
  if (line.kind === 'hunk' || line.kind === 'note') {
    return (
      <tr className={classes[line.kind]} data-change={line.kind}>
        <td colSpan={3} className={`${classes.code} ${classes[line.kind]}`}>
          {line.text}
        </td>
      </tr>
    );
  }
  return (
    <tr className={classes[line.kind]} data-change={line.kind}>
      <td className={classes.number}>
        {line.kind === 'added' ? '' : line.oldLine}
      </td>
      <td className={classes.number}>
        {line.kind === 'removed' ? '' : line.newLine}
      </td>
      <td className={classes.code}>
        <span className={classes.marker}>{markers[line.kind]}</span>
        {line.text}
      </td>
    </tr>
  );
}

function Body({ file }: { file: ChangedFile }) {
  const classes = useStyles();
  let summary;
  if (file.binary) summary = 'Binary file, not shown';
  else if (file.too_large) summary = 'Large diff, not shown';
  else if (!file.patch) summary = 'No changes to the content';
  if (summary) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.summary}
      >
        {summary}
      </Typography>
    );
  }
  return (
    <div className={classes.scroll}>
      <table className={classes.diff} aria-label={`Diff of ${file.filename}`}>
        <tbody>
          {parsePatch(file.patch!).map((line, i) => (
            <DiffRow key={i} line={line} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * One changed file: its status, name and counts, then its unified diff with
 * added lines green and removed ones red. A region named by the file.
 */
export function FileDiff({ file }: { file: ChangedFile }) {
  const classes = useStyles();
  return (
    <Paper
      component="section"
      variant="outlined"
      aria-label={file.filename}
      className={classes.file}
    >
      <div className={classes.header}>
        <Chip label={statusLabels[file.status] ?? file.status} size="small" />
        <Typography variant="body2" component="h5" className={classes.filename}>
          {file.previous_filename && file.previous_filename !== file.filename
            ? `${file.previous_filename} → ${file.filename}`
            : file.filename}
        </Typography>
        <Typography
          variant="body2"
          component="span"
          aria-label={`${file.additions} added, ${file.deletions} removed lines`}
        >
          <span className={classes.additions}>+{file.additions}</span>{' '}
          <span className={classes.deletions}>−{file.deletions}</span>
        </Typography>
      </div>
      <Body file={file} />
    </Paper>
  );
}
