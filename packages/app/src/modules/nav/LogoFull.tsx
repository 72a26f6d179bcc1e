import { makeStyles } from '@material-ui/core';
import { PavedMark } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 10,
  },
  mark: {
    width: 30,
    height: 30,
    flexShrink: 0,
  },
  word: {
    color: '#7df3e1',
    fontSize: 26,
    fontWeight: 700,
    letterSpacing: 0.5,
  },
});

export const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <PavedMark className={classes.mark} />
      <span className={classes.word}>Paved</span>
    </div>
  );
};
