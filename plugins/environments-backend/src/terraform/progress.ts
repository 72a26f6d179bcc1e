import { PlanSummary, RunEvent } from '@internal/plugin-environments-common';

/** One message of Terraform's machine-readable UI (`-json`). */
export type TerraformJsonMessage = {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  hook?: {
    resource?: { addr?: string };
    action?: string;
    elapsed_seconds?: number;
    output?: string;
  };
  change?: { resource?: { addr?: string }; action?: string };
  changes?: { add?: number; change?: number; remove?: number };
  diagnostic?: {
    severity?: string;
    summary?: string;
    detail?: string;
    address?: string;
  };
};

// Messages that say nothing a developer needs, or that carry output values.
const SILENT = new Set(['version', 'outputs', 'log']);

/** Turns one JSON message into a readable progress line, or nothing. */
export function describeMessage(
  message: TerraformJsonMessage,
): Pick<RunEvent, 'level' | 'message'> | undefined {
  const type = message.type ?? '';
  if (SILENT.has(type)) {
    return undefined;
  }
  if (type === 'diagnostic' && message.diagnostic) {
    const d = message.diagnostic;
    const where = d.address ? ` (${d.address})` : '';
    const detail = d.detail ? `: ${d.detail}` : '';
    return {
      level: d.severity === 'error' ? 'error' : 'warn',
      message: `${
        d.summary ?? 'Terraform reported a problem'
      }${where}${detail}`,
    };
  }
  const text = message['@message'];
  if (!text) {
    return undefined;
  }
  const level = message['@level'] === 'error' ? 'error' : 'info';
  return { level, message: text };
}

/** Collects a plan's summary from the plan's JSON messages. */
export class PlanCollector {
  private changes: PlanSummary['changes'] = [];
  private totals?: { add: number; change: number; remove: number };

  /** Forgets an earlier plan of the same run (a re-plan after a retry). */
  reset() {
    this.changes = [];
    this.totals = undefined;
  }

  add(message: TerraformJsonMessage) {
    if (message.type === 'planned_change' && message.change?.resource?.addr) {
      this.changes.push({
        address: message.change.resource.addr,
        action: message.change.action ?? 'unknown',
      });
    } else if (message.type === 'change_summary' && message.changes) {
      this.totals = {
        add: message.changes.add ?? 0,
        change: message.changes.change ?? 0,
        remove: message.changes.remove ?? 0,
      };
    }
  }

  summary(): PlanSummary | undefined {
    if (!this.totals) {
      return undefined;
    }
    return { ...this.totals, changes: [...this.changes] };
  }
}

/** The error diagnostics of a command, as one message. */
export function errorText(messages: TerraformJsonMessage[]) {
  return messages
    .filter(m => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
    .map(m => describeMessage(m)!.message)
    .join('\n');
}
