import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { RunGate } from '@internal/plugin-environments-common';
import { EnvironmentRow, RunRow } from '../database/tables';
import { serviceName } from '../service/runOutcome';

/** The notifications' topic, so people can filter them. */
export const NOTIFICATION_TOPIC = 'environments';

const isUser = (ref: string) => ref.startsWith('user:');

/**
 * Tells people through Backstage's notifications: approvers when a plan
 * waits for them, the requester when it was decided, owners when their
 * environment expires soon or drifted. A notification that cannot be sent
 * is logged; it never fails the action that caused it.
 */
export class EnvironmentNotifier {
  constructor(
    private readonly deps: {
      notifications?: NotificationService;
      logger: LoggerService;
    },
  ) {}

  private async send(
    to: string[],
    payload: NotificationPayload,
    exclude: string[] = [],
  ) {
    const recipients = to.filter(Boolean);
    if (!this.deps.notifications || recipients.length === 0) return;
    try {
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          excludeEntityRef: exclude.length ? exclude : undefined,
        },
        payload: { topic: NOTIFICATION_TOPIC, ...payload },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not send the notification "${payload.title}": ${error}`,
      );
    }
  }

  private link(env: Pick<EnvironmentRow, 'id'>, run?: Pick<RunRow, 'id'>) {
    return `/environments/${env.id}${run ? `?run=${run.id}` : ''}`;
  }

  /** To the approvers (never the requester): a plan waits for them. */
  async approvalRequested(run: RunRow, env: EnvironmentRow, gate: RunGate) {
    const what = run.kind === 'destroy' ? 'destroy' : 'apply';
    const cost = gate.cost
      ? ` Cost: ${gate.cost.delta >= 0 ? '+' : ''}${gate.cost.delta.toFixed(
          2,
        )} ${gate.cost.currency} a month.`
      : '';
    const broken = gate.policy.filter(p => !p.passed).map(p => p.rule);
    const plan = JSON.parse(run.plan ?? '{}');
    await this.send(
      gate.approvalsRequired > 0 ? gate.approverGroups : [],
      {
        title: `Approval requested: ${what} of ${env.name} (${serviceName(
          env.service,
        )})`,
        description: `${
          run.requested_by
        } asks to ${what} protected environment ${env.name}: +${
          plan.add ?? 0
        } ~${plan.change ?? 0} -${plan.remove ?? 0}.${cost}${
          broken.length ? ` Broken rules: ${broken.join(', ')}.` : ''
        }`,
        link: this.link(env, run),
        severity: 'high',
        scope: `approval:${run.id}`,
      },
      isUser(run.requested_by) ? [run.requested_by] : [],
    );
  }

  /** To the requester: what became of the plan they asked for. */
  async decided(
    run: RunRow,
    env: EnvironmentRow,
    outcome: 'approved' | 'rejected' | 'expired' | 'blocked',
    detail?: string,
  ) {
    if (!isUser(run.requested_by)) return;
    const what = run.kind === 'destroy' ? 'destroy' : 'apply';
    await this.send([run.requested_by], {
      title: `Your ${what} of ${env.name} (${serviceName(
        env.service,
      )}) was ${outcome}`,
      description: detail,
      link: this.link(env, run),
      severity: outcome === 'approved' ? 'normal' : 'high',
      scope: `decision:${run.id}`,
    });
  }

  /** To the owners: the environment is destroyed within a day unless extended. */
  async expiring(env: EnvironmentRow) {
    await this.send([env.owner], {
      title: `${env.name} of ${serviceName(env.service)} expires ${
        env.expires_at
      }`,
      description:
        'It will be destroyed then. Open it and press Extend (24 hours is one click) to keep it.',
      link: `/environments/${env.id}?extend=24`,
      severity: 'high',
      scope: `expiry:${env.id}:${env.expires_at}`,
    });
  }

  /** To the owners: the infrastructure no longer matches the configuration. */
  async drifted(env: EnvironmentRow, run: RunRow) {
    await this.send([env.owner], {
      title: `Drift detected in ${env.name} of ${serviceName(env.service)}`,
      description:
        'Its infrastructure was changed outside Paved. Open the drift check to see what changed; apply to put it back.',
      link: this.link(env, run),
      severity: 'normal',
      scope: `drift:${env.id}`,
    });
  }
}
