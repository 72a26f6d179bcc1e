import { InfoCard } from '@backstage/core-components';
import { List, ListItem, ListItemText } from '@material-ui/core';
import { FirstDeploy } from '../../api';
import { EntityRefText, RelativeTime } from '../common';
import { formatDuration } from '../pipelines';

function FirstDeployText({ first }: { first: FirstDeploy }) {
  if (first.secondsFromCreation === undefined) {
    return <>{first.environment}: first deployed</>;
  }
  return (
    <>
      {first.environment}: {formatDuration(first.secondsFromCreation * 1000)}{' '}
      after the service was created
      {first.template && (
        <>
          {' from '}
          <EntityRefText entityRef={first.template} />
          {first.templateVersion && ` ${first.templateVersion}`}
        </>
      )}
    </>
  );
}

/**
 * Time to first deploy: how soon after the service was created each
 * environment first ran it, the measure golden paths are judged by.
 */
export function FirstDeploys({
  firstDeploys,
}: {
  firstDeploys: FirstDeploy[];
}) {
  return (
    <InfoCard title="Time to first deploy">
      <List dense aria-label="Time to first deploy">
        {firstDeploys.map(first => (
          <ListItem key={first.environment} divider>
            <ListItemText
              primary={<FirstDeployText first={first} />}
              secondary={<RelativeTime date={first.deployedAt} />}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
