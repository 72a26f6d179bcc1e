import { CopyTextButton } from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import { RepositoryFile } from '../../../api';
import { fileText, formatSize } from './fileText';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  scroll: {
    overflowX: 'auto',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  code: {
    borderCollapse: 'collapse',
    fontFamily: 'monospace',
    fontSize: '0.85rem',
    width: '100%',
  },
  lineNumber: {
    width: '1%',
    padding: theme.spacing(0, 1.5),
    textAlign: 'right',
    verticalAlign: 'top',
    color: theme.palette.text.secondary,
    userSelect: 'none',
  },
  line: { padding: theme.spacing(0, 1.5), whiteSpace: 'pre' },
}));

/**
 * A file's content with line numbers, or, for a binary file or one too
 * large for the git host to send, a sentence that says so.
 */
export function FileView({ file }: { file: RepositoryFile }) {
  const classes = useStyles();
  const text = fileText(file);
  const size = formatSize(file.size);

  if (text.kind === 'too-large') {
    return (
      <Typography variant="body2">
        {file.name} is too large to show here ({size}). Clone the repository to
        read it.
      </Typography>
    );
  }
  if (text.kind === 'binary') {
    return (
      <Typography variant="body2">
        {file.name} is a binary file ({size}), not shown.
      </Typography>
    );
  }
  return (
    <>
      <div className={classes.header}>
        <Typography variant="body2">
          {text.lines.length} {text.lines.length === 1 ? 'line' : 'lines'} ·{' '}
          {size}
        </Typography>
        <CopyTextButton
          text={text.lines.join('\n')}
          tooltipText="Content copied"
          aria-label={`Copy the content of ${file.name}`}
        />
      </div>
      {text.lines.length ? (
        <div className={classes.scroll}>
          <table
            className={classes.code}
            aria-label={`Content of ${file.path}`}
          >
            <tbody>
              {text.lines.map((line, i) => (
                <tr key={i}>
                  <td className={classes.lineNumber}>{i + 1}</td>
                  <td className={classes.line}>{line}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Typography variant="body2" color="textSecondary">
          This file is empty.
        </Typography>
      )}
    </>
  );
}
