import { IconBundleBlueprint } from '@backstage/plugin-app-react';
import MuiApartmentIcon from '@material-ui/icons/Apartment';
import MuiBrokenImageIcon from '@material-ui/icons/BrokenImage';
import MuiCategoryIcon from '@material-ui/icons/Category';
import MuiChatIcon from '@material-ui/icons/Chat';
import MuiCreateNewFolderIcon from '@material-ui/icons/CreateNewFolder';
import MuiDashboardIcon from '@material-ui/icons/Dashboard';
import MuiDocsIcon from '@material-ui/icons/Description';
import MuiEmailIcon from '@material-ui/icons/Email';
import MuiExtensionIcon from '@material-ui/icons/Extension';
import MuiFeaturedPlayListIcon from '@material-ui/icons/FeaturedPlayList';
import MuiGitHubIcon from '@material-ui/icons/GitHub';
import MuiHelpIcon from '@material-ui/icons/Help';
import MuiLocationOnIcon from '@material-ui/icons/LocationOn';
import MuiMemoryIcon from '@material-ui/icons/Memory';
import MuiMenuBookIcon from '@material-ui/icons/MenuBook';
import MuiOpenInNewIcon from '@material-ui/icons/OpenInNew';
import MuiPeopleIcon from '@material-ui/icons/People';
import MuiPersonIcon from '@material-ui/icons/Person';
import MuiSearchIcon from '@material-ui/icons/Search';
import MuiStarIcon from '@material-ui/icons/Star';
import MuiStarBorderIcon from '@material-ui/icons/StarBorder';
import MuiStorageIcon from '@material-ui/icons/Storage';
import MuiSubjectIcon from '@material-ui/icons/Subject';
import MuiWarningIcon from '@material-ui/icons/Warning';

/**
 * Backstage's default icons, the same ones, given as elements: the app's
 * defaults are components, which the icons API warns about on every page
 * ("registered as IconComponent, which is deprecated").
 */
export const defaultIcons = IconBundleBlueprint.make({
  name: 'paved-defaults',
  params: {
    icons: {
      brokenImage: <MuiBrokenImageIcon fontSize="inherit" />,
      catalog: <MuiMenuBookIcon fontSize="inherit" />,
      scaffolder: <MuiCreateNewFolderIcon fontSize="inherit" />,
      techdocs: <MuiSubjectIcon fontSize="inherit" />,
      search: <MuiSearchIcon fontSize="inherit" />,
      chat: <MuiChatIcon fontSize="inherit" />,
      dashboard: <MuiDashboardIcon fontSize="inherit" />,
      docs: <MuiDocsIcon fontSize="inherit" />,
      email: <MuiEmailIcon fontSize="inherit" />,
      github: <MuiGitHubIcon fontSize="inherit" />,
      group: <MuiPeopleIcon fontSize="inherit" />,
      help: <MuiHelpIcon fontSize="inherit" />,
      'kind:api': <MuiExtensionIcon fontSize="inherit" />,
      'kind:component': <MuiMemoryIcon fontSize="inherit" />,
      'kind:domain': <MuiApartmentIcon fontSize="inherit" />,
      'kind:group': <MuiPeopleIcon fontSize="inherit" />,
      'kind:location': <MuiLocationOnIcon fontSize="inherit" />,
      'kind:system': <MuiCategoryIcon fontSize="inherit" />,
      'kind:user': <MuiPersonIcon fontSize="inherit" />,
      'kind:resource': <MuiStorageIcon fontSize="inherit" />,
      'kind:template': <MuiFeaturedPlayListIcon fontSize="inherit" />,
      user: <MuiPersonIcon fontSize="inherit" />,
      warning: <MuiWarningIcon fontSize="inherit" />,
      star: <MuiStarIcon fontSize="inherit" />,
      unstarred: <MuiStarBorderIcon fontSize="inherit" />,
      externalLink: <MuiOpenInNewIcon fontSize="inherit" />,
    },
  },
});
