import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { GitHostUrlReader } from './GitHostUrlReader';

export {
  GitHostUrlReader,
  hostedFileUrl,
  parseHostedUrl,
} from './GitHostUrlReader';
export type { HostedLocation } from './GitHostUrlReader';

/** Lets every plugin's UrlReader read files of hosted repositories. */
export const gitHostUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return GitHostUrlReader.factory;
  },
});
