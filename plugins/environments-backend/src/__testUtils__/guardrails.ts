import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { GateStore } from '../database/GateStore';
import { readGuardrailsConfig } from '../guardrails/config';
import { Guardrails } from '../guardrails/Guardrails';
import { PolicyEngine } from '../guardrails/PolicyEngine';

/** Guardrails over a test database, with `paved.environments.guardrails` as given. */
export function guardrailsFor(
  knex: Knex,
  guardrails: JsonObject = {},
  now: () => Date = () => new Date(),
) {
  const gates = new GateStore(knex);
  const config = readGuardrailsConfig(
    new ConfigReader({ paved: { environments: { guardrails } } }),
  );
  return {
    gates,
    guardrails: new Guardrails({
      config,
      policies: new PolicyEngine(config.policyFile),
      gates,
      now,
    }),
  };
}
