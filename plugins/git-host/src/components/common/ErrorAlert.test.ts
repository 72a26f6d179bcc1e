import { ResponseError } from '@backstage/errors';
import { describeError } from './ErrorAlert';

const errorResponse = (body: string, status = 409) =>
  ResponseError.fromResponse(
    new Response(body, {
      status,
      statusText: 'Conflict',
      headers: { 'Content-Type': 'application/json' },
    }),
  );

describe('describeError', () => {
  it("is the backend's message from Backstage's error JSON", async () => {
    const error = await errorResponse(
      JSON.stringify({
        error: {
          name: 'ConflictError',
          message: 'main moved: update the branch',
        },
        response: { statusCode: 409 },
      }),
    );

    expect(error.message).toBe('Request failed with 409 Conflict');
    expect(describeError(error)).toBe('main moved: update the branch');
  });

  it("is the backend's message from a bare { error: { message } } too", async () => {
    const error = await errorResponse(
      JSON.stringify({ error: { message: 'The branch conflicts with main' } }),
    );

    expect(describeError(error)).toBe('The branch conflicts with main');
  });

  it('is the status and text when the body says nothing more', async () => {
    const error = await errorResponse('upstream down', 502);

    expect(describeError(error)).toBe(
      'Request failed with status 502 Conflict, upstream down',
    );
  });

  it('is the message of any other error', () => {
    expect(describeError(new Error('offline'))).toBe('offline');
  });
});
