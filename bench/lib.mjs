// Shared by the bench scripts' Node halves.

/** A guest session's Backstage token, for calling the portal's APIs. */
export async function guestToken(base) {
  const res = await fetch(`${base}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) throw new Error(`guest sign-in: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/** A percentile by nearest rank: the smallest value with p% at or below it. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((sorted.length * p) / 100) - 1)
  ];
}
