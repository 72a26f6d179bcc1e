/**
 * A production history of one service, computed by hand below. The window
 * is the 30 days before 2026-03-31T00:00Z, in Europe/Berlin, which moves
 * to summer time on 2026-03-29.
 *
 * D0  02-20 10:00Z  success  c0           before the window
 * D1  03-02 09:00Z  success  a1 a2        two commits (24 h, 6 h)
 * D2  03-04 12:00Z  failure  b1           incidents I1, I2 tied to it
 * D3  03-04 15:00Z  success  b1 b2        restores (7 h, 1 h); rework
 * D4  03-10 10:00Z  success  s1           squash-merged change (24 h)
 * D5  03-11 10:00Z  success  e1           (2 h)
 * D6  03-11 16:00Z  success  s1 again     rollback of D5; rework
 * --  03-16..03-22                        a week without deployments
 * D7  03-24 10:00Z  success  e1 r1        r1 reverts e1 (fails D5); rework
 * I3  03-25 08:00Z  incident, tied to nothing: inferred to D7
 * D8  03-27 11:00Z  success  h1 hotfix    fails D7; resolves I3; rework
 * D9  03-29 23:30Z  success  f1           03-30 01:30 in Berlin (1 h)
 * D10 03-30 08:00Z  success  f2           (1 h)
 */
export const SERVICE = 'component:default/orders';
export const TO = '2026-03-31T00:00:00.000Z';
export const TIME_ZONE = 'Europe/Berlin';

const sha = (name: string) => name.padEnd(40, '0');

export interface FixtureDeployment {
  key: string;
  commit: string;
  version: string;
  outcome: 'success' | 'failure';
  finishedAt: string;
  environment?: string;
  commits: Array<{ sha: string; committedAt: string; message: string }>;
}

export const DEPLOYMENTS: FixtureDeployment[] = [
  {
    key: 'D0',
    commit: sha('c0'),
    version: '1.0.0',
    outcome: 'success',
    finishedAt: '2026-02-20T10:00:00Z',
    commits: [
      {
        sha: sha('c0'),
        committedAt: '2026-02-19T10:00:00Z',
        message: 'Initial',
      },
    ],
  },
  {
    key: 'D1',
    commit: sha('a2'),
    version: '1.1.0',
    outcome: 'success',
    finishedAt: '2026-03-02T09:00:00Z',
    commits: [
      {
        sha: sha('a2'),
        committedAt: '2026-03-02T03:00:00Z',
        message: 'Add paging',
      },
      {
        sha: sha('a1'),
        committedAt: '2026-03-01T09:00:00Z',
        message: 'Add orders list',
      },
    ],
  },
  {
    key: 'D2',
    commit: sha('b1'),
    version: '1.2.0',
    outcome: 'failure',
    finishedAt: '2026-03-04T12:00:00Z',
    commits: [
      {
        sha: sha('b1'),
        committedAt: '2026-03-04T08:00:00Z',
        message: 'Add discounts',
      },
    ],
  },
  {
    key: 'D3',
    commit: sha('b2'),
    version: '1.2.1',
    outcome: 'success',
    finishedAt: '2026-03-04T15:00:00Z',
    commits: [
      {
        sha: sha('b2'),
        committedAt: '2026-03-04T14:00:00Z',
        message: 'Fix discounts migration',
      },
      {
        sha: sha('b1'),
        committedAt: '2026-03-04T08:00:00Z',
        message: 'Add discounts',
      },
    ],
  },
  {
    key: 'D4',
    commit: sha('5a'),
    version: '1.3.0',
    outcome: 'success',
    finishedAt: '2026-03-10T10:00:00Z',
    commits: [
      {
        sha: sha('5a'),
        committedAt: '2026-03-09T10:00:00Z',
        message: 'Checkout flow (#7)',
      },
    ],
  },
  {
    key: 'D5',
    commit: sha('e1'),
    version: '1.4.0',
    outcome: 'success',
    finishedAt: '2026-03-11T10:00:00Z',
    commits: [
      {
        sha: sha('e1'),
        committedAt: '2026-03-11T08:00:00Z',
        message: 'Export orders',
      },
    ],
  },
  {
    key: 'D6',
    commit: sha('5a'),
    version: '1.3.0',
    outcome: 'success',
    finishedAt: '2026-03-11T16:00:00Z',
    commits: [],
  },
  {
    key: 'D7',
    commit: sha('f0'),
    version: '1.4.1',
    outcome: 'success',
    finishedAt: '2026-03-24T10:00:00Z',
    commits: [
      {
        sha: sha('f0'),
        committedAt: '2026-03-24T09:00:00Z',
        message: 'Revert "Export orders"',
      },
      {
        sha: sha('e1'),
        committedAt: '2026-03-11T08:00:00Z',
        message: 'Export orders',
      },
    ],
  },
  {
    key: 'D8',
    commit: sha('d8'),
    version: '1.4.2',
    outcome: 'success',
    finishedAt: '2026-03-27T11:00:00Z',
    commits: [
      {
        sha: sha('d8'),
        committedAt: '2026-03-27T10:00:00Z',
        message: 'hotfix: null customer id',
      },
    ],
  },
  {
    key: 'D9',
    commit: sha('f1'),
    version: '1.5.0',
    outcome: 'success',
    // Summer time in Berlin: 2026-03-29T23:30Z.
    finishedAt: '2026-03-30T01:30:00+02:00',
    commits: [
      {
        sha: sha('f1'),
        committedAt: '2026-03-29T22:30:00Z',
        message: 'Faster search',
      },
    ],
  },
  {
    key: 'D10',
    commit: sha('f2'),
    version: '1.5.1',
    outcome: 'success',
    finishedAt: '2026-03-30T08:00:00Z',
    commits: [
      {
        sha: sha('f2'),
        committedAt: '2026-03-30T07:00:00Z',
        message: 'Search filters',
      },
    ],
  },
  {
    // Another environment: never in the production figures.
    key: 'S1',
    commit: sha('b2'),
    version: '1.2.1',
    outcome: 'failure',
    finishedAt: '2026-03-05T10:00:00Z',
    environment: 'staging',
    commits: [],
  },
];

export interface FixtureIncident {
  key: string;
  title: string;
  openedAt: string;
  resolvedAt?: string;
  /** The fixture key of the deployment it is tied to. */
  deployment?: string;
}

export const INCIDENTS: FixtureIncident[] = [
  {
    key: 'I1',
    title: 'Checkout errors',
    openedAt: '2026-03-04T12:30:00Z',
    resolvedAt: '2026-03-04T13:30:00Z',
    deployment: 'D2',
  },
  {
    key: 'I2',
    title: 'Discount totals wrong',
    openedAt: '2026-03-04T12:40:00Z',
    resolvedAt: '2026-03-04T14:00:00Z',
    deployment: 'D2',
  },
  {
    key: 'I3',
    title: 'Orders without customer',
    openedAt: '2026-03-25T08:00:00Z',
    resolvedAt: '2026-03-27T11:00:00Z',
  },
];

const H = 3600;

/** The figures, by hand. */
export const EXPECTED = {
  total: 10,
  successful: 9,
  perDay: 9 / 30,
  perWeek: (9 / 30) * 7,
  // Berlin dates 03-02, 03-04, 03-10, 03-11, 03-24, 03-27, 03-30 (D9, D10).
  deployDays: 7,
  deployDaysPerWeek: 7 / (30 / 7),
  // a1 24h, a2 6h, b1 7h, b2 1h, s1 24h, e1 2h, f0 1h, d8 1h, f1 1h, f2 1h
  // (e1 once: its lead time ended at D5). Sorted: 1h x5, 2h, 6h, 7h, 24h x2.
  leadTimeCommits: 10,
  leadTimeDeployments: 8,
  leadTimeMedian: 1.5 * H,
  leadTimeP90: 24 * H,
  // D2 (failed, I1, I2), D5 (rolled back by D6, reverted by D7), D7
  // (hotfixed by D8, I3 inferred).
  failed: ['D2', 'D5', 'D7'],
  changeFailureRate: 3 / 10,
  // D2: I2 resolved at 14:00 before D3 at 15:00: 2 h. D5: D6 after 6 h.
  // D7: D8 and I3's resolution, both after 73 h.
  recoverySeconds: { D2: 2 * H, D5: 6 * H, D7: 73 * H },
  recoveryMedian: 6 * H,
  rework: { D3: 'restore', D6: 'rollback', D7: 'revert', D8: 'hotfix' },
  reworkRate: 4 / 10,
  reasons: {
    D2: ['failed', 'incident', 'incident'],
    D5: ['rolled_back', 'reverted'],
    D7: ['hotfixed', 'incident_inferred'],
  },
  bands: {
    deploymentFrequency: 'high',
    leadTime: 'elite',
    changeFailureRate: 'low',
    recoveryTime: 'high',
  },
  weeks: [
    {
      week: '2026-W09',
      deployments: 0,
      successful: 0,
      failed: 0,
      deployDays: 0,
      leadTimeMedian: null,
      changeFailureRate: null,
      recoveryTimeMedian: null,
      reworkRate: null,
    },
    {
      week: '2026-W10',
      deployments: 3,
      successful: 2,
      failed: 1,
      deployDays: 2,
      leadTimeMedian: 6.5 * H,
      changeFailureRate: 1 / 3,
      recoveryTimeMedian: 2 * H,
      reworkRate: 1 / 3,
    },
    {
      week: '2026-W11',
      deployments: 3,
      successful: 3,
      failed: 1,
      deployDays: 2,
      leadTimeMedian: 13 * H,
      changeFailureRate: 1 / 3,
      recoveryTimeMedian: 6 * H,
      reworkRate: 1 / 3,
    },
    {
      week: '2026-W12',
      deployments: 0,
      successful: 0,
      failed: 0,
      deployDays: 0,
      leadTimeMedian: null,
      changeFailureRate: null,
      recoveryTimeMedian: null,
      reworkRate: null,
    },
    {
      week: '2026-W13',
      deployments: 2,
      successful: 2,
      failed: 1,
      deployDays: 2,
      leadTimeMedian: 1 * H,
      changeFailureRate: 1 / 2,
      recoveryTimeMedian: 73 * H,
      reworkRate: 1,
    },
    {
      week: '2026-W14',
      deployments: 2,
      successful: 2,
      failed: 0,
      deployDays: 1,
      leadTimeMedian: 1 * H,
      changeFailureRate: 0,
      recoveryTimeMedian: null,
      reworkRate: 0,
    },
  ],
};
