import { libraryBuild } from '../../scripts/tsup-library.ts';

export default libraryBuild();
