import { Route, Routes } from 'react-router-dom';
import { AuditPage } from './AuditPage';
import { EnvironmentDetailsPage } from './EnvironmentDetails';
import { EnvironmentsPage } from './EnvironmentsPage';

/** The plugin's page: the list at its root, the audit trail, one environment below it. */
export function EnvironmentsRouter() {
  return (
    <Routes>
      <Route path="/" element={<EnvironmentsPage />} />
      <Route path="/audit" element={<AuditPage />} />
      <Route path="/:id" element={<EnvironmentDetailsPage />} />
    </Routes>
  );
}
