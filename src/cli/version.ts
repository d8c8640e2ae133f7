// Replaced at bundle time with the package version (esbuild define).
declare const LXCRI_VERSION: string | undefined;
export const VERSION: string = typeof LXCRI_VERSION === 'string' ? LXCRI_VERSION : '0.0.0-dev';
