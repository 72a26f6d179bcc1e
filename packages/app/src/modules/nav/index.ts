import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SidebarContent } from './Sidebar';
import { defaultIcons } from './icons';

export const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [SidebarContent, defaultIcons],
});
