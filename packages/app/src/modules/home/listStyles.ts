import { makeStyles } from '@material-ui/core';

/** The home page cards' plain lists: one row per item, facts beside it. */
export const useListStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1, 2),
    alignItems: 'baseline',
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  soon: { color: theme.palette.warning.main, fontWeight: 600 },
  meta: { color: theme.palette.text.secondary },
}));
