import { Route, Routes } from 'react-router-dom';
import { EnvironmentDetailsPage } from './EnvironmentDetails';
import { EnvironmentsPage } from './EnvironmentsPage';

/** The plugin's page: the list at its root, one environment below it. */
export function EnvironmentsRouter() {
  return (
    <Routes>
      <Route path="/" element={<EnvironmentsPage />} />
      <Route path="/:id" element={<EnvironmentDetailsPage />} />
    </Routes>
  );
}
