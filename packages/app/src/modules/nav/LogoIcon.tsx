import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 28,
    height: 28,
  },
});

/** Paved's mark: a road running into the distance, its centre line paved. */
export const PavedMark = ({ className }: { className?: string }) => (
  <svg
    className={className}
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 32 32"
    role="img"
    aria-label="Paved"
  >
    <path d="M11 2h10l9 28H2z" fill="#7df3e1" />
    <path
      d="M16 5v4M16 13v5M16 22v6"
      stroke="#151515"
      strokeWidth="2.2"
      strokeLinecap="round"
    />
  </svg>
);

export const LogoIcon = () => {
  const classes = useStyles();
  return <PavedMark className={classes.svg} />;
};
