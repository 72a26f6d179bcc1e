import { Link, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  humanizeEntityRef,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { InsightsResponse } from '../../api';
import { EmptyText } from './EmptyText';
import { figureColumns } from './figureColumns';

type Team = InsightsResponse['teams'][number];

function TeamLink({ team }: { team: Team }) {
  const entityLink = useEntityRefLink();
  const name =
    team.title ??
    humanizeEntityRef(parseEntityRef(team.entityRef), { defaultKind: 'group' });
  return <Link to={`${entityLink(team.entityRef)}/delivery`}>{name}</Link>;
}

/** Every team's figures; a team opens on its Delivery tab. */
export function TeamsTable({ insights }: { insights: InsightsResponse }) {
  const columns: TableColumn<Team>[] = [
    {
      title: 'Team',
      field: 'entityRef',
      highlight: true,
      render: team => <TeamLink team={team} />,
    },
    { title: 'Services', field: 'services', type: 'numeric' },
    ...figureColumns<Team>(team => team.figures, insights.bands.source),
  ];
  return (
    <div role="region" aria-label="Teams">
      <Table<Team>
        title="Teams"
        subtitle="Each team with its child groups' services; open a team for its deployments"
        columns={columns}
        data={insights.teams}
        options={{
          paging: insights.teams.length > 20,
          pageSize: 20,
          padding: 'dense',
          search: false,
        }}
        emptyContent={
          <EmptyText>No team owns a deployed service yet.</EmptyText>
        }
      />
    </div>
  );
}
