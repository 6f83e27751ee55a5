import packageJson from '../package.json';

/** The version of this build, from the one manifest. */
export const VERSION: string = packageJson.version;
