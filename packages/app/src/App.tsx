import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { pavedCatalogPlugin } from './modules/catalog';
import { homeModule } from './modules/home';
import { scaffolderModule } from './modules/scaffolder';
import { signInModule } from './modules/signIn';
import { catalogErrorsModule } from './modules/catalogErrors';

// Every plugin in package.json is discovered (app.packages: all); these
// are Paved's own modules on top.
export default createApp({
  features: [
    pavedCatalogPlugin,
    navModule,
    homeModule,
    scaffolderModule,
    signInModule,
    catalogErrorsModule,
  ],
});
