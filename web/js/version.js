// The package version (tests check it matches package.json).
export const VERSION = "0.1.0";
