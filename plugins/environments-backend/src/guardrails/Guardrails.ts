import {
  CostChange,
  CostEstimate,
  PlanSummary,
  RunGate,
  TeamCost,
} from '@internal/plugin-environments-common';
import { GateStore } from '../database/GateStore';
import { EnvironmentRow, RunRow } from '../database/tables';
import { GuardrailsConfig, protectionOf } from './config';
import { monthlyCost, round, teamCosts } from './cost';
import { evaluate, PolicyEngine, PolicyFacts } from './PolicyEngine';

const HOUR_MS = 3_600_000;

/** What happens to a plan with changes: applied, held for approval, or stopped. */
export type GateDecision = {
  gate: RunGate;
  outcome: 'apply' | 'wait' | 'block';
  /** For a run that waits or is stopped: why, in a sentence. */
  message?: string;
};

/** The gate as it is stored: approvals are rows of their own. */
export const storedGate = (gate: RunGate) =>
  JSON.stringify({ ...gate, approvals: [] });

/**
 * Guardrails of environments: which are protected, what they cost, and what
 * the organization's policy rules say of a plan. The run executor asks it
 * after every plan; the API asks it for estimates and a team's spending.
 */
export class Guardrails {
  constructor(
    private readonly deps: {
      config: GuardrailsConfig;
      policies: PolicyEngine;
      gates: GateStore;
      now: () => Date;
    },
  ) {}

  get config() {
    return this.deps.config;
  }

  protection(env: Pick<EnvironmentRow, 'owner' | 'name'>) {
    return protectionOf(this.deps.config, env.owner, env.name);
  }

  /** The groups whose members may approve a plan of this environment. */
  approverGroups(env: Pick<EnvironmentRow, 'owner' | 'name'>) {
    const protection = this.protection(env) ?? this.deps.config.protection;
    return [
      ...new Set(
        protection.approverGroups.map(g => (g === 'owner' ? env.owner : g)),
      ),
    ];
  }

  monthly(env: Pick<EnvironmentRow, 'resources' | 'size'>) {
    return monthlyCost(
      this.deps.config.prices,
      JSON.parse(env.resources),
      env.size,
    );
  }

  /** What a run changes in the environment's monthly cost. */
  async costChange(run: RunRow, env: EnvironmentRow): Promise<CostChange> {
    const price = this.monthly(env);
    const applied = Boolean(env.applied_modules);
    const before = applied ? price : 0;
    const after =
      run.kind === 'destroy' || run.kind === 'plan-destroy' ? 0 : price;
    const [team] = await this.teams([env.owner]);
    return {
      currency: this.deps.config.prices.currency,
      before,
      after,
      delta: round(after - before),
      // The team's sum counts this environment already once it was applied.
      teamMonthly: round(team.monthly - before + after),
      budget: this.deps.config.budgets[env.owner],
    };
  }

  /** The estimate for a request, before anything runs. */
  async estimate(request: {
    owner: string;
    name: string;
    size: string;
    resources: string[];
  }): Promise<CostEstimate> {
    const monthly = monthlyCost(
      this.deps.config.prices,
      request.resources,
      request.size,
    );
    const [team] = await this.teams([request.owner]);
    const budget = this.deps.config.budgets[request.owner];
    const teamMonthly = round(team.monthly + monthly);
    return {
      currency: this.deps.config.prices.currency,
      monthly,
      teamMonthly,
      budget,
      overBudget: budget !== undefined && teamMonthly > budget,
      protected: Boolean(this.protection(request)),
    };
  }

  /** Each owner's spending this month (every owner with environments when none named). */
  async teams(owners: string[]): Promise<TeamCost[]> {
    const now = this.deps.now();
    const monthStart = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1),
    ).toISOString();
    const rows = await this.deps.gates.environmentsAliveSince(
      owners,
      monthStart,
    );
    const names = owners.length ? owners : [...new Set(rows.map(r => r.owner))];
    return names.sort().map(owner => ({
      owner,
      currency: this.deps.config.prices.currency,
      ...teamCosts(
        this.deps.config.prices,
        rows.filter(r => r.owner === owner),
        now,
      ),
      budget: this.deps.config.budgets[owner],
    }));
  }

  /**
   * Checks a plan: its cost change, the policy rules, and whether the
   * environment is protected. A plan-only run is checked the same way; only
   * an apply or destroy can wait or be stopped.
   */
  async check(
    run: RunRow,
    env: EnvironmentRow,
    summary: PlanSummary | undefined,
    override?: RunGate['override'],
  ): Promise<GateDecision> {
    const protection = this.protection(env);
    const cost = await this.costChange(run, env);
    const loaded = await this.deps.policies.load();
    const gate: RunGate = {
      protected: Boolean(protection),
      approvalsRequired: protection?.approvals ?? 0,
      approverGroups: protection ? this.approverGroups(env) : [],
      approvals: [],
      policy: [],
      overrideRequired: false,
      override,
      cost,
    };
    if (!loaded.ok) {
      gate.policyError = loaded.error;
      const closed =
        Boolean(protection) || this.deps.config.failClosed === 'all';
      return closed
        ? {
            gate,
            outcome: 'block',
            message: `Held: the policies cannot be checked (${
              loaded.error
            }). Runs of ${
              protection ? 'protected environments' : 'any environment'
            } stop until the policy file is fixed; then re-plan.`,
          }
        : { gate, outcome: 'apply' };
    }
    const facts = await this.facts(
      run,
      env,
      summary,
      Boolean(protection),
      cost,
    );
    const started = performance.now();
    gate.policy = await evaluate(loaded.rules, facts);
    gate.policyMs = Math.round((performance.now() - started) * 10) / 10;
    const broken = (level: string) =>
      gate.policy.filter(p => !p.passed && p.level === level);
    const hard = broken('hard');
    if (hard.length) {
      return {
        gate,
        outcome: 'block',
        message: `Blocked by policy: ${hard
          .map(p => `${p.rule}: ${p.explanation}`)
          .join(' ')}`,
      };
    }
    gate.overrideRequired = broken('soft').length > 0;
    if (gate.overrideRequired && !override) {
      return {
        gate,
        outcome: 'wait',
        message: `Waits for an override of ${broken('soft')
          .map(p => p.rule)
          .join(', ')} by the platform team, with a reason${
          protection ? `, and for ${protection.approvals} approval(s)` : ''
        }`,
      };
    }
    if (protection) {
      return {
        gate,
        outcome: 'wait',
        message: `${env.name} is protected: the plan waits for ${
          protection.approvals
        } approval(s) by someone other than the requester, from ${gate.approverGroups.join(
          ' or ',
        )}`,
      };
    }
    return { gate, outcome: 'apply' };
  }

  /** When a plan made now stops waiting for approval. */
  expiresAt() {
    return new Date(
      this.deps.now().getTime() + this.deps.config.approvalWindowMs,
    ).toISOString();
  }

  private async facts(
    run: RunRow,
    env: EnvironmentRow,
    summary: PlanSummary | undefined,
    isProtected: boolean,
    cost: CostChange,
  ): Promise<PolicyFacts> {
    const now = this.deps.now();
    const changes = summary?.changes ?? [];
    const removed = new Set(
      changes
        .filter(c => c.action === 'delete' || c.action === 'replace')
        .map(c => /^module\.([^.]+)\./.exec(c.address)?.[1])
        .filter((m): m is string => Boolean(m)),
    );
    const live = await this.deps.gates.countLive(env.owner);
    return {
      kind: run.kind,
      service: env.service,
      owner: env.owner,
      environment: env.name,
      protected: isProtected,
      size: env.size,
      resources: JSON.parse(env.resources),
      ttlHours: Math.round(
        (Date.parse(env.expires_at) - now.getTime()) / HOUR_MS,
      ),
      creating: !env.applied_modules,
      plan: {
        add: summary?.add ?? 0,
        change: summary?.change ?? 0,
        remove: summary?.remove ?? 0,
        resources: changes.length,
        removedModules: [...removed],
      },
      cost: {
        monthly: cost.after,
        delta: cost.delta,
        teamMonthly: cost.teamMonthly,
        budget: cost.budget,
        overBudget: cost.budget !== undefined && cost.teamMonthly > cost.budget,
      },
      teamEnvironments: live,
      time: { hour: now.getUTCHours(), weekday: now.getUTCDay() },
    };
  }
}
