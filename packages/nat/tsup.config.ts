import { libraryBuild } from '../../scripts/tsup-library.ts';

// node.cjs requires the package's own entry for the core rather than carrying a second copy of
// it, whose NatError would be another class.
export default libraryBuild(['src/index.ts', 'src/node.ts'], ['@ftpwire/nat']);
