import TextField from '@material-ui/core/TextField';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CustomFieldValidator,
  FieldExtensionComponentProps,
  makeFieldSchema,
} from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:options` of the field. */
export const ServiceNamePickerSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      withApi: z
        .boolean()
        .optional()
        .describe('The service also registers an API entity'),
    }),
});

type Props = FieldExtensionComponentProps<
  string,
  { withApi?: boolean } | undefined
>;

/** A text field for a new service's name; the check runs on Next. */
export function ServiceNamePickerField(props: Props) {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors,
    formData,
    uiSchema,
    idSchema,
  } = props;
  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      helperText={description}
      required={required}
      value={formData ?? ''}
      onChange={({ target: { value } }) => onChange(value)}
      margin="normal"
      error={(rawErrors?.length ?? 0) > 0}
      inputProps={{ autoFocus: uiSchema['ui:autofocus'] }}
      FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
    />
  );
}

/**
 * Before the form moves on, asks the portal whether a Component, API or
 * repository already has the name (the run's first step asks again), and
 * says whose it is.
 */
export const serviceNameValidation: CustomFieldValidator<
  string,
  { withApi?: boolean } | undefined
> = async (value, validation, { apiHolder, uiSchema }) => {
  if (!value) return;
  const discoveryApi = apiHolder.get(discoveryApiRef);
  const fetchApi = apiHolder.get(fetchApiRef);
  if (!discoveryApi || !fetchApi) return;
  const withApi = uiSchema?.['ui:options']?.withApi === true;
  const url = `${await discoveryApi.getBaseUrl(
    'scaffolder',
  )}/paved/name-conflicts?name=${encodeURIComponent(value)}&api=${withApi}`;
  const res = await fetchApi.fetch(url);
  if (res.status === 400) {
    // The pattern in the template's schema explains the rule itself.
    return;
  }
  if (!res.ok) {
    const error = await ResponseError.fromResponse(res);
    validation.addError(
      `Could not check whether the name is free: ${error.message}`,
    );
    return;
  }
  const { conflicts } = (await res.json()) as {
    conflicts: Array<{ message: string }>;
  };
  for (const conflict of conflicts) {
    validation.addError(conflict.message);
  }
};

/** `ui:field: ServiceNamePicker` for the golden paths' name. */
export const ServiceNamePicker = createFormField({
  name: 'ServiceNamePicker',
  component: ServiceNamePickerField,
  validation: serviceNameValidation,
  schema: ServiceNamePickerSchema,
});
