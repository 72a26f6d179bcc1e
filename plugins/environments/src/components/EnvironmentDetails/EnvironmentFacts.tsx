import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { makeStyles, Typography } from '@material-ui/core';
import { Environment } from '@internal/plugin-environments-common';
import { ReactNode } from 'react';
import {
  DriftLabel,
  EntityRefText,
  EnvironmentStatusLabel,
  Expiry,
  RelativeTime,
  RequesterText,
} from '../common';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
    gap: theme.spacing(2, 3),
    margin: 0,
  },
  label: { margin: 0 },
  value: { margin: 0 },
}));

function Fact({ label, children }: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div>
      <Typography
        component="dt"
        variant="caption"
        color="textSecondary"
        className={classes.label}
      >
        {label}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.value}>
        {children}
      </Typography>
    </div>
  );
}

/** Whether the credentials connected at the last check, and when. */
function CredentialChecks({ environment }: { environment: Environment }) {
  const { checks, checkedAt } = environment;
  if (!checks?.length || !checkedAt) return <>not checked</>;
  const failed = checks.filter(c => !c.ok);
  return (
    <>
      {failed.length ? (
        failed.map(check => (
          <StatusError key={check.name}>{check.message}</StatusError>
        ))
      ) : (
        <StatusOK>all connect</StatusOK>
      )}{' '}
      (checked <RelativeTime date={checkedAt} />)
    </>
  );
}

/** Each building block with the module version it runs on. */
function ModuleVersions({ environment }: { environment: Environment }) {
  if (!environment.resources.length) return <>none</>;
  const versions = new Map(environment.modules?.map(m => [m.id, m]));
  const names = environment.resources
    .map(id => {
      const applied = versions.get(id)?.appliedVersion;
      return applied ? `${id} ${applied}` : id;
    })
    .join(', ');
  return (
    <>
      {names}
      {environment.modules?.map(module => {
        if (module.problem) {
          return (
            <StatusError key={module.id}>{module.id} withdrawn</StatusError>
          );
        }
        if (module.updateAvailable) {
          return (
            <StatusWarning key={module.id}>
              {module.id} {module.latestVersion} available
            </StatusWarning>
          );
        }
        return null;
      })}
    </>
  );
}

/** Who and what the environment is for, and where it is in its life. */
export function EnvironmentFacts({
  environment,
}: {
  environment: Environment;
}) {
  const classes = useStyles();
  const destroyed = environment.status === 'destroyed';
  return (
    <InfoCard title="About">
      <dl className={classes.facts}>
        <Fact label="Service">
          <EntityRefText entityRef={environment.service} />
        </Fact>
        <Fact label="Owner">
          <EntityRefText entityRef={environment.owner} />
        </Fact>
        <Fact label="Status">
          <EnvironmentStatusLabel status={environment.status} />
        </Fact>
        <Fact label="Drift">
          <DriftLabel drift={environment.drift} />
          {environment.driftCheckedAt && (
            <>
              {' '}
              (checked <RelativeTime date={environment.driftCheckedAt} />)
            </>
          )}
        </Fact>
        <Fact label="Size">{environment.size}</Fact>
        {environment.monthlyCost !== undefined && (
          <Fact label="Monthly cost">
            {environment.monthlyCost.toFixed(2)} (price table)
          </Fact>
        )}
        <Fact label="Protected">
          {environment.protected
            ? 'Yes: applies and destroys wait for approval'
            : 'No'}
        </Fact>
        <Fact label="Resources">
          <ModuleVersions environment={environment} />
        </Fact>
        <Fact label="Created">
          <RelativeTime date={environment.createdAt} /> by{' '}
          <RequesterText requester={environment.createdBy} />
        </Fact>
        {destroyed ? (
          <Fact label="Destroyed">
            {environment.destroyedAt ? (
              <RelativeTime date={environment.destroyedAt} />
            ) : (
              'yes'
            )}
            {environment.destroyedBy && (
              <>
                {' '}
                by <RequesterText requester={environment.destroyedBy} />
              </>
            )}
          </Fact>
        ) : (
          <Fact label="Expires">
            <Expiry expiresAt={environment.expiresAt} />
          </Fact>
        )}
        <Fact label="Credentials">
          <CredentialChecks environment={environment} />
        </Fact>
        <Fact label="Catalog entity">
          <EntityRefText entityRef={environment.entityRef} />
        </Fact>
      </dl>
    </InfoCard>
  );
}
