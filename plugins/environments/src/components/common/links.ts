/** The Create page's template that adds an environment to a service. */
export const ADD_ENVIRONMENT_TEMPLATE_PATH =
  '/create/templates/default/add-environment';
