import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Tests wait for conditions, not for the clock: on a busy two-core machine a
// render can take seconds, so Testing Library's 1 s per query must not decide
// whether a test passes (Jest's per-test limit is set for the whole repository
// in the root package.json).
configure({ asyncUtilTimeout: 60_000 });
