import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { ButtonLink } from '@backstage/ui';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Grid, Typography, makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import {
  HomePageRecentlyVisited,
  HomePageStarredEntities,
} from '@backstage/plugin-home';
import { HomePageSearchBar } from '@backstage/plugin-search';
import { MyEnvironmentsCard } from './MyEnvironmentsCard';
import { MyServicesCard } from './MyServicesCard';
import { useMyHome } from './useMyHome';

const useStyles = makeStyles(theme => ({
  card: { height: '100%' },
  lead: { marginBottom: theme.spacing(2) },
  counts: {
    display: 'flex',
    gap: theme.spacing(4),
    margin: theme.spacing(2, 0),
  },
  count: { fontSize: '2rem', fontWeight: 600, lineHeight: 1.2 },
}));

const countedKinds = [
  { kind: 'component', label: 'Components' },
  { kind: 'api', label: 'APIs' },
  { kind: 'system', label: 'Systems' },
  { kind: 'group', label: 'Groups' },
];

function CatalogCounts() {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { facets } = await catalogApi.getEntityFacets({ facets: ['kind'] });
    return new Map(
      facets.kind.map(({ value: kind, count }) => [kind.toLowerCase(), count]),
    );
  }, [catalogApi]);

  if (!value) {
    return null;
  }
  return (
    <div className={classes.counts} aria-label="Catalog size">
      {countedKinds.map(({ kind, label }) => (
        <div key={kind}>
          <div className={classes.count}>{value.get(kind) ?? 0}</div>
          <Typography variant="body2" color="textSecondary">
            {label}
          </Typography>
        </div>
      ))}
    </div>
  );
}

export function HomePage() {
  const classes = useStyles();
  const home = useMyHome();
  return (
    <Page themeId="home">
      <Header
        title="Welcome to Paved"
        subtitle="Golden paths to production, and a catalog of who owns what"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <HomePageSearchBar placeholder="Search services, APIs, docs and people" />
          </Grid>
          <Grid item xs={12} md={8}>
            <MyServicesCard home={home} />
          </Grid>
          <Grid item xs={12} md={4}>
            <InfoCard title="Create a service" className={classes.card}>
              <Typography className={classes.lead}>
                Start from one of the platform team's golden-path templates:
                fill in one form and get a repository with working code, a CI/CD
                pipeline and environments, registered in the catalog with you as
                the owner.
              </Typography>
              <ButtonLink href="/create" variant="primary">
                Create a service
              </ButtonLink>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <MyEnvironmentsCard home={home} />
          </Grid>
          <Grid item xs={12} md={6}>
            <InfoCard title="Browse the catalog" className={classes.card}>
              <Typography>
                Find any service, API or resource, see which team owns it, and
                follow how it relates to the rest of the system.
              </Typography>
              <CatalogCounts />
              <ButtonLink href="/catalog" variant="secondary">
                Browse the catalog
              </ButtonLink>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <HomePageStarredEntities title="Starred" />
          </Grid>
          <Grid item xs={12} md={6}>
            <HomePageRecentlyVisited title="Recently visited" />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
