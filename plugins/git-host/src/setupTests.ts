import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Tests wait for conditions, not for the clock: on a busy two-core machine
// a render can take seconds, so neither Jest's 5 s per test nor Testing
// Library's 1 s per query may decide whether a test passes.
jest.setTimeout(120_000);
configure({ asyncUtilTimeout: 60_000 });
