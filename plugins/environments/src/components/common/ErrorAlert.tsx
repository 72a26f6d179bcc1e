import { ResponseError } from '@backstage/errors';
import { Alert } from '@backstage/ui';

function isResponseError(error: Error): error is ResponseError {
  return error.name === 'ResponseError' && 'statusCode' in error;
}

/** Whether the backend refused the request for lack of permission. */
export function isNotAllowed(error: Error): boolean {
  return isResponseError(error) && error.statusCode === 403;
}

/**
 * The backend's own message ("you are not in the owning group"), rather than
 * the client's "Request failed with 403 Forbidden".
 */
export function describeError(error: Error): string {
  if (!isResponseError(error)) {
    return error.message;
  }
  const message = error.body?.error?.message || error.message;
  return isNotAllowed(error) ? `Not allowed: ${message}` : message;
}

/** An API error, shown where the user asked for something. */
export function ErrorAlert({
  title,
  error,
  hint,
}: {
  title: string;
  error: Error;
  /** A next step, e.g. who may do it instead. */
  hint?: string;
}) {
  let description = describeError(error);
  if (hint) {
    description = `${description.replace(/([^.!?])$/, '$1.')} ${hint}`;
  }
  return (
    <Alert
      status="danger"
      icon
      role="alert"
      title={title}
      description={description}
      mb="3"
    />
  );
}
