import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CostEstimate,
  EnvironmentOptions,
} from '@internal/plugin-environments-common';
import {
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { useState } from 'react';

export const EnvironmentResourcesPickerSchema = makeFieldSchema({
  output: z => z.array(z.string()),
});

/** The building blocks the platform team publishes, from their manifests. */
export function useEnvironmentOptions() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useAsync(async () => {
    const base = await discoveryApi.getBaseUrl('environments');
    const res = await fetchApi.fetch(`${base}/options`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as EnvironmentOptions;
  }, [discoveryApi, fetchApi]);
}

/** The form's other answers this field reads, whichever step they are on. */
type FormAnswers = {
  owner?: string;
  service?: string;
  environmentName?: string;
  environmentSize?: string;
};

/**
 * The monthly cost of the chosen building blocks at the chosen size, and
 * whether the owning team's budget would be exceeded, before anything runs.
 */
function useCostEstimate(resources: string[], answers: FormAnswers) {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [key, setKey] = useState('');
  const request = {
    owner: answers.owner || undefined,
    service: answers.owner ? undefined : answers.service || undefined,
    name: answers.environmentName ?? '',
    size: answers.environmentSize ?? 'small',
    resources,
  };
  useDebounce(() => setKey(JSON.stringify(request)), 300, [
    JSON.stringify(request),
  ]);
  return useAsync(async (): Promise<CostEstimate | undefined> => {
    if (!key) return undefined;
    const body = JSON.parse(key);
    if (!body.owner && !body.service) return undefined;
    const base = await discoveryApi.getBaseUrl('environments');
    const res = await fetchApi.fetch(`${base}/costs/estimate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: key,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as CostEstimate;
  }, [key, discoveryApi, fetchApi]);
}

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

/**
 * Checkboxes of the approved modules (`GET /api/environments/options`), so
 * a module the platform team adds or removes shows in every form without a
 * change to the templates.
 */
export function EnvironmentResourcesPickerField(
  props: FieldExtensionComponentProps<string[]>,
) {
  const {
    onChange,
    required,
    schema: { title = 'Resources', description },
    rawErrors,
    formData,
    idSchema,
    formContext,
  } = props;
  const options = useEnvironmentOptions();
  const chosen = formData ?? [];
  const estimate = useCostEstimate(
    chosen,
    ((formContext as { formData?: FormAnswers } | undefined)?.formData ??
      {}) as FormAnswers,
  );
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...chosen, id] : chosen.filter(c => c !== id));
  const unavailable = options.value?.problems ?? [];
  return (
    <FormControl
      component="fieldset"
      margin="normal"
      required={required}
      error={(rawErrors?.length ?? 0) > 0 || !!options.error}
      id={idSchema?.$id}
    >
      <FormLabel component="legend">{title}</FormLabel>
      {options.loading && <LinearProgress aria-label="Loading the modules" />}
      {options.error && (
        <FormHelperText>
          Could not load the approved modules: {options.error.message}
        </FormHelperText>
      )}
      <FormGroup>
        {options.value?.resources.map(module => (
          <FormControlLabel
            key={module.id}
            control={
              <Checkbox
                checked={chosen.includes(module.id)}
                onChange={(_, on) => toggle(module.id, on)}
                name={module.id}
              />
            }
            label={`${module.title}: ${module.description} (${module.module} ${module.version})`}
          />
        ))}
      </FormGroup>
      {description && <FormHelperText>{description}</FormHelperText>}
      {estimate.value && (
        <FormHelperText data-testid="environment-cost-estimate">
          Estimated cost:{' '}
          {money(estimate.value.monthly, estimate.value.currency)} a month; the
          team's environments would come to{' '}
          {money(estimate.value.teamMonthly, estimate.value.currency)} a month
          {estimate.value.budget !== undefined &&
            ` of a budget of ${money(
              estimate.value.budget,
              estimate.value.currency,
            )}`}
          .
          {estimate.value.overBudget &&
            ' This is over the team budget: a policy may hold or block it.'}
          {estimate.value.protected &&
            ' This environment is protected: its apply waits for an approval by someone else of the team or the platform team.'}
        </FormHelperText>
      )}
      {estimate.error && (
        <FormHelperText>
          No cost estimate: {estimate.error.message}
        </FormHelperText>
      )}
      {unavailable.length > 0 && (
        <FormHelperText>
          {unavailable.length === 1
            ? 'One module is'
            : `${unavailable.length} modules are`}{' '}
          not offered because its manifest was refused (see Catalog errors):{' '}
          {unavailable.map(p => p.file).join(', ')}
        </FormHelperText>
      )}
    </FormControl>
  );
}

/** `ui:field: EnvironmentResourcesPicker` for an environment's building blocks. */
export const EnvironmentResourcesPicker = createFormField({
  name: 'EnvironmentResourcesPicker',
  component: EnvironmentResourcesPickerField,
  schema: EnvironmentResourcesPickerSchema,
});
