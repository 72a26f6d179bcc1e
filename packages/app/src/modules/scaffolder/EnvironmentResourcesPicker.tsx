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
import type { EnvironmentOptions } from '@internal/plugin-environments-common';
import {
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import useAsync from 'react-use/esm/useAsync';

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
  } = props;
  const options = useEnvironmentOptions();
  const chosen = formData ?? [];
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
