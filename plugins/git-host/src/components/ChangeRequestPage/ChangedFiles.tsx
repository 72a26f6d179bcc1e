import { Progress } from '@backstage/core-components';
import { Typography, makeStyles } from '@material-ui/core';
import { ChangedFile } from '../../api';
import { ErrorAlert } from '../common';
import { FileDiff } from './FileDiff';

const useStyles = makeStyles(theme => ({
  heading: { margin: theme.spacing(3, 0, 1) },
}));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Every file a change request changes, each with its diff. */
export function ChangedFiles({
  files,
  loading,
  error,
}: {
  files?: ChangedFile[];
  loading: boolean;
  error?: Error;
}) {
  const classes = useStyles();
  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ErrorAlert title="The changes could not be loaded" error={error} />;
  } else if (!files?.length) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No files change: the source branch has nothing the target lacks.
      </Typography>
    );
  } else {
    const additions = files.reduce((sum, file) => sum + file.additions, 0);
    const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
    body = (
      <>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {plural(files.length, 'file')} changed,{' '}
          {plural(additions, 'addition')}, {plural(deletions, 'deletion')}
        </Typography>
        {files.map(file => (
          <FileDiff key={file.filename} file={file} />
        ))}
      </>
    );
  }
  return (
    <>
      <Typography variant="h6" component="h4" className={classes.heading}>
        Files changed
      </Typography>
      {body}
    </>
  );
}
