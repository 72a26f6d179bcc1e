import { ResponseError } from '@backstage/errors';
import { Alert } from '@backstage/ui';

function isResponseError(error: Error): error is ResponseError {
  return error.name === 'ResponseError' && 'statusCode' in error;
}

/** The HTTP status the backend refused a request with, if it did. */
export function statusOf(error: Error): number | undefined {
  return isResponseError(error) ? error.statusCode : undefined;
}

// A body that is not Backstage's error JSON reaches ResponseError as
// "Request failed with status 409 Conflict, {"error":{"message":"…"}}".
function messageInText(message: string): string | undefined {
  const json = message.match(
    /^Request failed with status \d+[^,]*, (\{.*\})$/s,
  );
  if (!json) return undefined;
  try {
    return JSON.parse(json[1])?.error?.message;
  } catch {
    return undefined;
  }
}

/**
 * The backend's own message ("main moved: update the branch"), rather than
 * the client's "Request failed with 409 Conflict".
 */
export function describeError(error: Error): string {
  if (!isResponseError(error)) {
    return error.message;
  }
  const message = error.body?.error?.message;
  return (message && messageInText(message)) || message || error.message;
}

/** An API error, shown where the user asked for something. */
export function ErrorAlert({ title, error }: { title: string; error: Error }) {
  return (
    <Alert
      status="danger"
      icon
      role="alert"
      title={title}
      description={describeError(error)}
      mb="3"
    />
  );
}
